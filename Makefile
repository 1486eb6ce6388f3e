# Two set-up commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
.PHONY: run test bench bootstrap build clean

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build

# With DISCORD_TOKEN set this runs the bot; without it, the local demo.
run: build
	@if [ -n "$$DISCORD_TOKEN" ] && $(SWIFT) run cadence bot --help >/dev/null 2>&1; then \
		$(SWIFT) run cadence bot; \
	else \
		$(SWIFT) run cadence demo; \
	fi

test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: bootstrap
	cd Benchmarks && $(SWIFT) run -c release CadenceBench

clean:
	rm -rf .build Benchmarks/.build
