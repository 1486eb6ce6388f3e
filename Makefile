# Two set-up commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
.PHONY: run test lint tsan bench bootstrap build clean

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
# *StressTests saturate both cores on purpose, *TimingTests stream or measure in real time.
# Thirty real-time suites at once are more than two cores can pace, so they run in groups
# (each group's suites still run in parallel): the two that measure pacing precision itself
# (one at a time: the first loads a core on purpose),
# the engine and its sources, voice and gateway, the bot, and the Lavalink node with its clients.
# The main pass runs at most six tests at once: all 350 at once on two cores starved the tests
# that start Python peers, ffmpeg or yt-dlp until their timeouts fired (CI failed that way).
MAIN_WIDTH = 6
TIMING_PACING = PacerTimingTests|VoiceStreamTimingTests
TIMING_ENGINE = SourceFaultsTimingTests|SourceRecoveryTimingTests|LiveStreamTimingTests|DecoderFillTimingTests|BrokenInputTimingTests|InstantVolumeTimingTests|InstantFiltersTimingTests|QueuedTracksTimingTests|ResolverWorkerSpeedTimingTests
TIMING_BOT = Bot[A-Za-z]*TimingTests|GuildPlayerGaplessTimingTests|PlayVoiceDAVETimingTests
TIMING_NODE = Node[A-Za-z]*TimingTests|ClientTimingTests
# The layout rules in .swift-format (`swift format -i -r Sources Tests Benchmarks/Sources` applies them).
LINTED = Package.swift Sources Tests Benchmarks/Package.swift Benchmarks/Sources
lint:
	$(SWIFT) format lint --strict --recursive $(LINTED)

test: bootstrap lint
	@scripts/check-imports
	$(SWIFT) build --build-tests
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(MAIN_WIDTH) $(SWIFT) test --skip-build --skip 'TimingTests|StressTests'
	$(SWIFT) test --skip-build --filter StressTests
	$(SWIFT) test --skip-build --filter PacerTimingTests
	$(SWIFT) test --skip-build --filter VoiceStreamTimingTests
	$(SWIFT) test --skip-build --filter '$(TIMING_ENGINE)'
	$(SWIFT) test --skip-build --filter TimingTests --skip '$(TIMING_PACING)|$(TIMING_ENGINE)|$(TIMING_BOT)|$(TIMING_NODE)'
	$(SWIFT) test --skip-build --filter '$(TIMING_BOT)'
	$(SWIFT) test --skip-build --filter '$(TIMING_NODE)'

# The ring buffer's stress test under ThreadSanitizer (a separate build folder).
tsan: bootstrap
	$(SWIFT) test --scratch-path .build-tsan --sanitize=thread --filter FrameRingStressTests

bench: bootstrap
	cd Benchmarks && $(SWIFT) run -c release CadenceBench

clean:
	rm -rf .build Benchmarks/.build
