import DAVE
import Foundation
import Testing

@testable import DiscordVoice

/// The JSON side of DAVE on the voice gateway (doc §1.3, §5.3).
@Suite struct VoiceDAVEMessageTests {
    @Test func sessionDescriptionCarriesTheChosenDAVEVersionAndDefaultsToZero() throws {
        let key = (0..<32).map(String.init).joined(separator: ",")
        let v1 = #"{"op":4,"seq":3,"d":{"mode":"aead_aes256_gcm_rtpsize","secret_key":[\#(key)],"dave_protocol_version":1}}"#
        let (message, seq) = try VoiceGatewayServerMessage.parse(v1)
        #expect(seq == 3)
        guard case let .sessionDescription(_, _, version) = message else {
            Issue.record("\(message)")
            return
        }
        #expect(version == 1)
        let none = #"{"op":4,"d":{"mode":"aead_aes256_gcm_rtpsize","secret_key":[\#(key)]}}"#
        guard case let .sessionDescription(_, _, omitted) = try VoiceGatewayServerMessage.parse(none).0 else { return }
        #expect(omitted == 0)
    }

    @Test func daveJSONOpsBecomeSessionInputs() throws {
        let cases: [(String, DAVEInput)] = [
            (#"{"op":11,"d":{"user_ids":["1","22"]}}"#, .clientsConnected([1, 22])),
            (#"{"op":13,"d":{"user_id":"22"}}"#, .clientDisconnected(22)),
            (
                #"{"op":21,"d":{"transition_id":7,"protocol_version":0}}"#,
                .prepareTransition(PrepareTransition(transitionID: 7, protocolVersion: 0))
            ),
            (#"{"op":22,"d":{"transition_id":7}}"#, .executeTransition(TransitionID(7))),
            (#"{"op":24,"d":{"protocol_version":1,"epoch":1}}"#, .prepareEpoch(PrepareEpoch(protocolVersion: 1, epoch: 1)))
        ]
        for (json, input) in cases {
            #expect(try VoiceGatewayServerMessage.parse(json).0 == .dave(input), "\(json)")
        }
        #expect(throws: VoiceError.self) { try VoiceGatewayServerMessage.parse(#"{"op":22,"d":{"transition_id":70000}}"#) }
        #expect(throws: VoiceError.self) { try VoiceGatewayServerMessage.parse(#"{"op":11,"d":{"user_ids":["x"]}}"#) }
    }

    @Test func identifyOffersDAVEAndTheClientAnswersTransitionsAsJSON() throws {
        func object(_ message: VoiceGatewayClientMessage) throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: Data(message.json.utf8)) as? [String: Any])
        }
        let options = VoiceConnection.Options()
        let identify = try object(
            .identify(
                serverID: "1", userID: "2", sessionID: "3", token: "t",
                maxDAVEVersion: options.maxDAVEProtocolVersion))
        #expect((identify["d"] as? [String: Any])?["max_dave_protocol_version"] as? Int == 1)
        let ready = try object(.daveTransitionReady(9))
        #expect(ready["op"] as? Int == 23 && (ready["d"] as? [String: Any])?["transition_id"] as? Int == 9)
        let invalid = try object(.daveInvalidCommitWelcome(4))
        #expect(invalid["op"] as? Int == 31 && (invalid["d"] as? [String: Any])?["transition_id"] as? Int == 4)
    }
}
