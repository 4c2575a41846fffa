using Remediator.Approvals.Http;
using Remediator.Approvals.Slack;

namespace Remediator.Approvals.Tests;

public sealed class SlackSignatureTests
{
    // Slack's own example from "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack).
    private const string SlackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string SlackTimestamp = "1531420618";
    private const string SlackSignatureHeader = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string SlackBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar" +
        "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com" +
        "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static readonly DateTimeOffset SlackNow = DateTimeOffset.FromUnixTimeSeconds(1531420618 + 30);

    private static readonly byte[] OwnSecret = Encoding.UTF8.GetBytes("remediator-test-signing-secret-0001");

    [Fact]
    public void Slacks_published_example_verifies()
    {
        Assert.Equal(SignatureCheck.Valid, SlackSignature.Verify(Encoding.UTF8.GetBytes(SlackSecret), SlackTimestamp, SlackSignatureHeader, Encoding.UTF8.GetBytes(SlackBody), SlackNow));
        Assert.Equal(SlackSignatureHeader, Encoding.ASCII.GetString(SlackSignature.Sign(Encoding.UTF8.GetBytes(SlackSecret), SlackTimestamp, Encoding.UTF8.GetBytes(SlackBody))));
    }

    [Fact]
    public void Slacks_example_fails_with_a_wrong_secret()
    {
        Assert.Equal(SignatureCheck.BadSignature, SlackSignature.Verify(Encoding.UTF8.GetBytes(SlackSecret + "x"), SlackTimestamp, SlackSignatureHeader, Encoding.UTF8.GetBytes(SlackBody), SlackNow));
    }

    [Fact]
    public void Own_vector_verifies_and_fails_when_the_body_changes_by_one_byte()
    {
        var body = Encoding.UTF8.GetBytes("payload=%7B%22type%22%3A%22block_actions%22%7D");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var timestamp = "1800000000";
        var signature = Encoding.ASCII.GetString(SlackSignature.Sign(OwnSecret, timestamp, body));
        Assert.Equal("v0=", signature[..3]);
        Assert.Equal(67, signature.Length);
        Assert.Equal(SignatureCheck.Valid, SlackSignature.Verify(OwnSecret, timestamp, signature, body, now));

        for (var i = 0; i < body.Length; i += 7)
        {
            var altered = (byte[])body.Clone();
            altered[i] ^= 0x01;
            Assert.Equal(SignatureCheck.BadSignature, SlackSignature.Verify(OwnSecret, timestamp, signature, altered, now));
        }

        // The timestamp is signed too: the same signature with another (fresh) timestamp fails.
        Assert.Equal(SignatureCheck.BadSignature, SlackSignature.Verify(OwnSecret, "1800000001", signature, body, now));
        Assert.Equal(SignatureCheck.BadSignature, SlackSignature.Verify(OwnSecret, timestamp, signature.ToUpperInvariant(), body, now));
        Assert.Equal(SignatureCheck.BadSignature, SlackSignature.Verify(OwnSecret, timestamp, signature[..^1], body, now));
    }

    [Theory]
    [InlineData(-301, SignatureCheck.StaleTimestamp)]
    [InlineData(-299, SignatureCheck.Valid)]
    [InlineData(299, SignatureCheck.Valid)]
    [InlineData(301, SignatureCheck.StaleTimestamp)]
    public void Timestamps_more_than_five_minutes_away_either_way_are_refused(int offsetSeconds, SignatureCheck expected)
    {
        var body = "payload=x"u8.ToArray();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var timestamp = (1_800_000_000 + offsetSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Encoding.ASCII.GetString(SlackSignature.Sign(OwnSecret, timestamp, body));
        Assert.Equal(expected, SlackSignature.Verify(OwnSecret, timestamp, signature, body, now));
    }

    [Theory]
    [InlineData(null, "v0=00")]
    [InlineData("1800000000", null)]
    [InlineData("", "")]
    public void Missing_headers_are_refused(string? timestamp, string? signature)
    {
        Assert.Equal(SignatureCheck.MissingHeaders, SlackSignature.Verify(OwnSecret, timestamp, signature, "payload=x"u8, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)));
    }

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("-1800000000")]
    [InlineData("1.8e9")]
    public void A_timestamp_that_is_not_whole_seconds_is_refused(string timestamp)
    {
        Assert.Equal(SignatureCheck.StaleTimestamp, SlackSignature.Verify(OwnSecret, timestamp, "v0=00", "payload=x"u8, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)));
    }

    [Fact]
    public void A_base64_body_is_decoded_before_it_is_verified()
    {
        var body = Encoding.UTF8.GetBytes(SlackBody);
        var request = HttpApiRequest.TryParse(Encoding.UTF8.GetBytes(
            $$"""{"version":"2.0","headers":{"x-slack-request-timestamp":"{{SlackTimestamp}}","x-slack-signature":"{{SlackSignatureHeader}}"},"body":"{{Convert.ToBase64String(body)}}","isBase64Encoded":true}"""));
        Assert.NotNull(request);
        Assert.Equal(body, request.Body);
        Assert.Equal(SignatureCheck.Valid, SlackSignature.Verify(Encoding.UTF8.GetBytes(SlackSecret), request.Header("X-Slack-Request-Timestamp"), request.Header("x-slack-signature"), request.Body, SlackNow));

        // The same base64 text taken as the body itself does not verify.
        var raw = HttpApiRequest.TryParse(Encoding.UTF8.GetBytes(
            $$"""{"headers":{},"body":"{{Convert.ToBase64String(body)}}","isBase64Encoded":false}"""));
        Assert.Equal(SignatureCheck.BadSignature, SlackSignature.Verify(Encoding.UTF8.GetBytes(SlackSecret), SlackTimestamp, SlackSignatureHeader, raw!.Body, SlackNow));
    }
}
