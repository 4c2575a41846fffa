using Remediator.Core.Approvals;
using static Remediator.Core.Tests.Audit.AuditSamples;

namespace Remediator.Core.Tests.Audit;

/// <summary>
/// Records already stored (JSON Lines files, the DynamoDB <c>record</c> attribute) must still read, and a record must
/// be written exactly as before. The lines below were written by the hand-written Utf8JsonWriter code that the
/// source-generated serializer replaced.
/// </summary>
public sealed class AuditJsonStoredFormatTests
{
    private const string StoredLine = """"
        {"id":"e-1/iam-no-admin","eventId":"e-1","eventTime":"2026-11-01T10:00:00.0000000Z","account":"111122223333","region":"us-east-1","actor":"arn:aws:iam::111122223333:user/alice","rule":"iam-no-admin","concern":"iam-broad-permissions","resource":"arn:aws:iam::111122223333:role/app","resourceType":"AWS::IAM::Role","severity":"high","check":"admin-wildcard","summary":"Allow * on * \"quoted\" ünïcode","evidence":["{\"Effect\":\"Allow\",\"Action\":\"*\"}","line two"],"mode":"enforce","outcome":"partially-applied","reason":null,"actions":[{"action":"revert","operation":"iam:DeleteRolePolicy","resource":"arn:aws:iam::111122223333:role/app","description":"delete it","parameters":{"RoleName":"app","Nested":{"N":3}},"before":{"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"*"}]}},"after":{"exists":false},"outcome":"done","error":null,"startedAt":"2026-11-01T10:00:01.1234567Z","endedAt":"2026-11-01T10:00:02.0000000Z"},{"action":"tag","operation":"iam:TagRole","resource":"arn:aws:iam::111122223333:role/app","description":null,"parameters":{},"before":null,"after":null,"outcome":"failed","error":"AccessDenied: not allowed","startedAt":null,"endedAt":null}],"recordedAt":"2026-11-01T10:00:01.0000000Z","updatedAt":"2026-11-01T10:00:03.0000000Z","inProgressUntil":"2026-11-01T10:05:00.0000000Z","undoOf":"e-9/iam-no-admin","undoneBy":null,"approval":{"approvers":["U0123ABCD","S0456EFGH"],"decideBy":"2026-11-01T11:00:00.0000000Z","onExpiry":"deny","contain":true},"decision":{"verb":"apply","by":"U0123ABCD","at":"2026-11-01T10:30:00.0000000Z","reason":"looks right","exemptDays":7},"decisionOf":"e-0/iam-no-admin","expiresAt":"2027-11-01T10:00:01.0000000Z","missedEvent":true}
        """";

    private static AuditRecord Pending() => Full() with
    {
        Approval = new ApprovalRequest(["U0123ABCD", "S0456EFGH"], T("2026-11-01T11:00:00Z"), ExpiryOutcome.Deny, Contain: true),
        Decision = new DecisionTaken(DecisionVerb.Apply, "U0123ABCD", T("2026-11-01T10:30:00Z"), "looks right") { ExemptDays = 7 },
        DecisionOf = "e-0/iam-no-admin",
        UndoOf = "e-9/iam-no-admin",
        InProgressUntil = T("2026-11-01T10:05:00Z"),
        MissedEvent = true,
    };

    [Fact]
    public void A_record_is_written_byte_for_byte_as_the_old_writer_wrote_it()
    {
        Assert.Equal(StoredLine, AuditJson.ToJson(Pending()));
    }

    [Fact]
    public void A_record_the_old_writer_stored_reads_back_with_every_field()
    {
        var record = AuditJson.Parse(StoredLine);

        Assert.Equal(("e-1/iam-no-admin", "e-1", "iam-no-admin"), (record.Id, record.EventId, record.Rule));
        Assert.Equal(["U0123ABCD", "S0456EFGH"], record.Approval!.Approvers);
        Assert.Equal((T("2026-11-01T11:00:00Z"), ExpiryOutcome.Deny, true), (record.Approval.DecideBy, record.Approval.OnExpiry, record.Approval.Contain));
        Assert.Equal((DecisionVerb.Apply, "U0123ABCD", "looks right", (int?)7), (record.Decision!.Verb, record.Decision.By, record.Decision.Reason, record.Decision.ExemptDays));
        Assert.Equal(("e-0/iam-no-admin", "e-9/iam-no-admin", (bool?)true), (record.DecisionOf, record.UndoOf, record.MissedEvent));
        Assert.Equal(T("2026-11-01T10:05:00Z"), record.InProgressUntil);
        Assert.Equal("""{"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"*"}]}}""", record.Actions[0].Before);
        Assert.Equal(StoredLine, AuditJson.ToJson(record));
    }
}
