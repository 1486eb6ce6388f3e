import CadenceTestSupport
import MLS
import Testing

@Suite("KeySchedule vector tests")
struct KeyScheduleVectorTests {
    @Test("key-schedule.json: every epoch's secrets, external key and exporter", SharedData.required)
    func keySchedule() throws {
        let suite = CipherSuite.p256
        try Vectors.forSuite2("key-schedule") { v, _ in
            let groupID = try v.hex("group_id")
            var initSecret = try v.hex("initial_init_secret")
            for (i, e) in try v.list("epochs").enumerated() {
                let context = GroupContext(
                    cipherSuite: 2, groupID: groupID, epoch: UInt64(i), treeHash: try e.hex("tree_hash"),
                    confirmedTranscriptHash: try e.hex("confirmed_transcript_hash"), extensions: [])
                #expect(context.encoded == (try e.hex("group_context")), "group_context epoch \(i)")
                let s = EpochSecrets.derive(
                    suite: suite, initSecret: initSecret, commitSecret: try e.hex("commit_secret"),
                    pskSecret: try e.hex("psk_secret"), context: context)
                #expect(s.joinerSecret == (try e.hex("joiner_secret")))
                #expect(s.welcomeSecret == (try e.hex("welcome_secret")))
                #expect(s.initSecret == (try e.hex("init_secret")))
                #expect(s.senderDataSecret == (try e.hex("sender_data_secret")))
                #expect(s.encryptionSecret == (try e.hex("encryption_secret")))
                #expect(s.exporterSecret == (try e.hex("exporter_secret")))
                #expect(s.epochAuthenticator == (try e.hex("epoch_authenticator")))
                #expect(s.externalSecret == (try e.hex("external_secret")))
                #expect(s.confirmationKey == (try e.hex("confirmation_key")))
                #expect(s.membershipKey == (try e.hex("membership_key")))
                #expect(s.resumptionPSK == (try e.hex("resumption_psk")))
                #expect(try s.externalPublicKey(suite: suite) == (try e.hex("external_pub")))
                let exporter = try e.child("exporter")
                #expect(
                    s.export(
                        suite: suite, label: try exporter.string("label"), context: try exporter.hex("context"),
                        length: try exporter.int("length")) == (try exporter.hex("secret")))
                initSecret = s.initSecret
            }
        }
    }
}

@Suite("TranscriptHash vector tests")
struct TranscriptHashVectorTests {
    @Test("transcript-hashes.json: confirmation tag and both transcript hashes", SharedData.required)
    func transcriptHashes() throws {
        let suite = CipherSuite.p256
        try Vectors.forSuite2("transcript-hashes") { v, _ in
            let content = try AuthenticatedContent(decoding: try v.hex("authenticated_content"))
            guard case .commit = content.content.body else {
                Issue.record("authenticated_content is not a commit")
                return
            }
            let confirmed = TranscriptHash.confirmed(
                suite: suite, interimBefore: try v.hex("interim_transcript_hash_before"), content: content)
            #expect(confirmed == (try v.hex("confirmed_transcript_hash_after")))
            let tag = try #require(content.auth.confirmationTag)
            #expect(suite.mac(key: try v.hex("confirmation_key"), data: confirmed) == tag)
            #expect(
                TranscriptHash.interim(suite: suite, confirmed: confirmed, confirmationTag: tag)
                    == (try v.hex("interim_transcript_hash_after")))
        }
    }
}
