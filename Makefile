# Two set-up commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
.PHONY: run test tsan bench bootstrap build clean

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build

# With DISCORD_TOKEN set this runs the bot; without it, the local demo.
run: build
	@if [ -n "$$DISCORD_TOKEN" ] && $(SWIFT) run cadence bot --help >/dev/null 2>&1; then \
		$(SWIFT) run cadence bot; \
	else \
		$(SWIFT) run cadence-demo; \
	fi

# Suites that need the machine to themselves run in passes of their own after the rest:
# *StressTests saturate both cores on purpose, *TimingTests measure real-time pacing.
test: bootstrap
	@scripts/check-imports
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip 'TimingTests|StressTests'
	$(SWIFT) test --skip-build --filter StressTests
	$(SWIFT) test --skip-build --filter TimingTests

# The ring buffer's stress test under ThreadSanitizer (a separate build folder).
tsan: bootstrap
	$(SWIFT) test --scratch-path .build-tsan --sanitize=thread --filter FrameRingStressTests

bench: bootstrap
	cd Benchmarks && $(SWIFT) run -c release CadenceBench

clean:
	rm -rf .build Benchmarks/.build
