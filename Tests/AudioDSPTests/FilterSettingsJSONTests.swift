import AudioDSP
import Foundation
import Testing

@Suite struct FilterSettingsJSONTests {
    let nightcoreAndBass = #"""
        {"volume":0.8,"equalizer":[{"band":0,"gain":0.2},{"band":1,"gain":0.15}],
         "timescale":{"speed":1.2,"pitch":1.2,"rate":1},"karaoke":{"level":1,"monoLevel":1,"filterBand":220,"filterWidth":100},
         "tremolo":{"frequency":2,"depth":0.5},"vibrato":{"frequency":2,"depth":0.5},"rotation":{"rotationHz":0.2},
         "distortion":{"sinOffset":0,"sinScale":1,"cosOffset":0,"cosScale":1,"tanOffset":0,"tanScale":1,"offset":0,"scale":1},
         "channelMix":{"leftToLeft":0.5,"leftToRight":0.5,"rightToLeft":0.5,"rightToRight":0.5},"lowPass":{"smoothing":20},
         "pluginFilters":{"echo":{"delay":0.5,"decay":[1,2,{"x":null}]}}}
        """#

    @Test func decodesEveryLavalinkFieldByItsName() throws {
        let settings = try JSONDecoder().decode(FilterSettings.self, from: Data(nightcoreAndBass.utf8))
        #expect(settings.volume == 0.8)
        #expect(settings.equalizer == [.init(band: 0, gain: 0.2), .init(band: 1, gain: 0.15)])
        #expect(settings.timescale == .init(speed: 1.2, pitch: 1.2, rate: 1))
        #expect(settings.karaoke?.filterBand == 220)
        #expect(settings.tremolo == .init(frequency: 2, depth: 0.5))
        #expect(settings.rotation?.rotationHz == 0.2)
        #expect(settings.distortion?.tanScale == 1)
        #expect(settings.channelMix?.rightToLeft == 0.5)
        #expect(settings.lowPass?.smoothing == 20)
        #expect(
            settings.pluginFilters
                == .object([
                    "echo": .object([
                        "delay": .number(0.5),
                        "decay": .array([.number(1), .number(2), .object(["x": .null])])
                    ])
                ]))
        try settings.validate()
    }

    @Test func roundTripsWithTheSameKeysAndLeavesMissingFiltersOut() throws {
        let settings = try JSONDecoder().decode(FilterSettings.self, from: Data(nightcoreAndBass.utf8))
        let again = try JSONDecoder().decode(FilterSettings.self, from: JSONEncoder().encode(settings))
        #expect(again == settings)
        let sparse = try JSONDecoder().decode(FilterSettings.self, from: Data(#"{"timescale":{"speed":1.25}}"#.utf8))
        #expect(sparse.volume == nil && sparse.equalizer == nil && sparse.timescale?.pitch == nil)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(sparse)) as? [String: Any]
        #expect(object?.keys.sorted() == ["timescale"])
    }

    @Test(arguments: [
        (#"{"volume":5.5}"#, "volume"),
        (#"{"volume":-0.1}"#, "volume"),
        (#"{"equalizer":[{"band":15,"gain":0.1}]}"#, "equalizer[0].band"),
        (#"{"equalizer":[{"band":3,"gain":0.1},{"band":4,"gain":-0.3}]}"#, "equalizer[1].gain"),
        (#"{"equalizer":[{"band":4,"gain":1.01}]}"#, "equalizer[0].gain"),
        (#"{"timescale":{"speed":0}}"#, "timescale.speed"),
        (#"{"timescale":{"pitch":-1}}"#, "timescale.pitch"),
        (#"{"tremolo":{"depth":0}}"#, "tremolo.depth"),
        (#"{"tremolo":{"frequency":0}}"#, "tremolo.frequency"),
        (#"{"vibrato":{"frequency":14.5}}"#, "vibrato.frequency"),
        (#"{"vibrato":{"depth":1.5}}"#, "vibrato.depth"),
        (#"{"channelMix":{"leftToRight":1.2}}"#, "channelMix.leftToRight")
    ])
    func refusesValuesOutsideLavalinksRanges(json: String, field: String) throws {
        let settings = try JSONDecoder().decode(FilterSettings.self, from: Data(json.utf8))
        #expect(throws: FilterError.self) { try settings.validate() }
        do { try settings.validate() } catch {
            #expect(error.field == field)
            #expect(!error.reason.isEmpty)
        }
    }

    @Test func acceptsTheEdgesOfEachRange() throws {
        let edges = FilterSettings(
            volume: 5, equalizer: [.init(band: 14, gain: -0.25), .init(band: 0, gain: 1)],
            tremolo: .init(frequency: 0.1, depth: 1), vibrato: .init(frequency: 14, depth: 1),
            channelMix: .init(leftToLeft: 0, leftToRight: 1))
        try edges.validate()
    }

    @Test func isIdentityOnlyWhenNothingWouldTouchTheSamples() {
        #expect(FilterSettings().isIdentity)
        #expect(
            FilterSettings(
                volume: 1, equalizer: [.init(band: 3, gain: 0)], timescale: .init(speed: 1),
                rotation: .init(rotationHz: 0), lowPass: .init(smoothing: 1)
            ).isIdentity)
        #expect(FilterSettings(distortion: .init()).isIdentity)  // all defaults: Lavalink leaves it off
        #expect(!FilterSettings(volume: 0.5).isIdentity)
        #expect(!FilterSettings(equalizer: [.init(band: 3, gain: 0.1)]).isIdentity)
        #expect(!FilterSettings(karaoke: .init()).isIdentity)
        #expect(!FilterSettings(timescale: .init(rate: 1.1)).isIdentity)
        #expect(!FilterSettings(tremolo: .init()).isIdentity)
        #expect(!FilterSettings(lowPass: .init(smoothing: 20)).isIdentity)
        #expect(!FilterSettings(channelMix: .init(leftToRight: 0.5)).isIdentity)
    }
}
