using Amazon.DynamoDBv2;
using Remediator.Runtime;

namespace Remediator.Guard.Tests;

/// <summary>
/// The generated malformed-input suite through the guard's handler, on moto: every payload is either handled or
/// refused with <see cref="InvalidEventException"/> (an invocation error, so the event reaches the failure queue);
/// nothing else escapes, and invalid UTF-8 is always refused, never answered "no rule matched".
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class GuardMalformedPayloadTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private readonly AmazonDynamoDBClient _dynamoDb = MotoDynamoDb(moto.Endpoint);

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await CreateAuditTableAsync(_dynamoDb);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dynamoDb.Dispose();

    [Fact]
    public async Task Every_generated_payload_is_handled_or_refused_as_an_invalid_event_and_nothing_else_escapes()
    {
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(moto));

        // GetRolePolicy: the intact event matches no rule, so what is measured is the parse path, not IAM on moto.
        var cases = MalformedInputCorpus.Generate(seed: 8_3_10, count: 10_800, eventName: "GetRolePolicy");
        var escaped = new List<string>();
        int handled = 0, refused = 0;
        foreach (var broken in cases)
        {
            try
            {
                await guard.HandleAsync(broken.Bytes, Invocation().Invocation, default);
                handled++;
            }
            catch (InvalidEventException)
            {
                refused++;
            }
            catch (Exception e)
            {
                escaped.Add($"{broken}: {e.GetType().Name}: {e.Message}");
            }

            // A valid event after every broken one is still handled.
            var valid = await guard.HandleAsync(Encoding.UTF8.GetBytes(MalformedInputCorpus.ValidEvent($"valid-{broken.Number}", "GetRolePolicy")), Invocation().Invocation, default);
            Assert.Equal($"valid-{broken.Number}", valid.EventId);
        }

        Assert.True(escaped.Count == 0, string.Join("\n", escaped.Take(10)));
        Assert.Equal(cases.Count, handled + refused);
        Assert.True(refused >= cases.Count / 3, $"only {refused} of {cases.Count} refused");
    }

    [Theory]
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { 0xc0, 0x80 })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    public async Task Invalid_utf8_is_an_invocation_error_never_no_rule_matched(byte[] bad)
    {
        using var guard = GuardFunction.Create(Settings(Concerns.IamBroadPermissions), Overrides(moto));
        var text = MalformedInputCorpus.ValidEvent("utf8-1", "GetRolePolicy");
        var at = text.IndexOf("app-role", StringComparison.Ordinal);
        byte[] payload = [.. Encoding.UTF8.GetBytes(text[..at]), .. bad, .. Encoding.UTF8.GetBytes(text[at..])];

        var error = await Assert.ThrowsAsync<InvalidEventException>(() => guard.HandleAsync(payload, Invocation().Invocation, default));

        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }
}
