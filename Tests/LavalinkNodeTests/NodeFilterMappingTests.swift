import AudioDSP
import Foundation
import LavalinkNode
import Testing

/// A client's `filters` object, as the node parsed it, reaches the engine field for field.
@Suite struct NodeFilterMappingTests {
    @Test func everyFilterOfAClientsObjectReachesTheEngine() throws {
        let text = """
            {"volume": 0.8, "equalizer": [{"band": 0, "gain": 0.2}, {"band": 14, "gain": -0.25}],
             "karaoke": {"level": 1, "monoLevel": 1, "filterBand": 220, "filterWidth": 100},
             "timescale": {"speed": 1.25, "pitch": 1, "rate": 1}, "tremolo": {"frequency": 2, "depth": 0.5},
             "vibrato": {"frequency": 2, "depth": 0.5}, "rotation": {"rotationHz": 0.2},
             "distortion": {"sinOffset": 0, "sinScale": 1, "cosOffset": 0, "cosScale": 1, "tanOffset": 0, "tanScale": 1,
                            "offset": 0, "scale": 1},
             "channelMix": {"leftToLeft": 0.5, "leftToRight": 0.5, "rightToLeft": 0.5, "rightToRight": 0.5},
             "lowPass": {"smoothing": 20}, "pluginFilters": {}}
            """
        let parsed = try LavalinkNode.JSONValue.parse(Data(text.utf8))
        let settings = EngineMapping.settings(parsed)
        #expect(settings.volume == 0.8)
        #expect(settings.equalizer == [.init(band: 0, gain: 0.2), .init(band: 14, gain: -0.25)])
        #expect(settings.karaoke == .init(level: 1, monoLevel: 1, filterBand: 220, filterWidth: 100))
        #expect(settings.timescale == .init(speed: 1.25, pitch: 1, rate: 1))
        #expect(settings.tremolo == .init(frequency: 2, depth: 0.5) && settings.vibrato == .init(frequency: 2, depth: 0.5))
        #expect(settings.rotation?.rotationHz == 0.2 && settings.lowPass?.smoothing == 20)
        #expect(settings.distortion?.scale == 1 && settings.channelMix?.rightToLeft == 0.5)
        try settings.validate()
        #expect(EngineMapping.settings(.object([:])).isIdentity)
        #expect(EngineMapping.appliedFilters == NodeConfiguration.filterNames)
    }
}
