using System.Text;
using Remediator.Core.Patterns;

namespace Remediator.Core.Tests.Patterns;

public sealed class EventPatternTests
{
    [Theory]
    [InlineData("""{"detail":{"eventName":[{"prefix":5}]}}""", "detail.eventName[0]: prefix value must be a string")]
    [InlineData("""{"detail":{"eventName":[]}}""", "detail.eventName: empty arrays are not allowed")]
    [InlineData("""{"detail":{"eventName":"x"}}""", "detail.eventName: must be an object or an array")]
    [InlineData("""{"a":[{"numeric":[">",5,"<",1]}]}""", "a[0].numeric: bottom must be less than top")]
    [InlineData("""{"a":[{"wildcard":"x**"}]}""", "a[0].wildcard: consecutive wildcard characters at position 1")]
    [InlineData("""{"ip":[{"cidr":"10.0.0.0/32"}]}""", "ip[0].cidr: IPv4 mask bits must be < 32")]
    [InlineData("""{"x":["1"],"$or":[{"a":["1"]},{"b":[{"anything-but":[1,"x"]}]}]}""", "$or[1].b[0].anything-but: anything-but list must hold only strings or only numbers, and at least one")]
    [InlineData("""{"$or":[{"a":["1"]}]}""", "$or: $or must contain at least 2 objects")]
    [InlineData("{}", "empty objects are not allowed")]
    [InlineData("[1]", "pattern must be a JSON object")]
    public void Invalid_patterns_name_the_path(string json, string message)
    {
        var e = Assert.Throws<InvalidPatternException>(() => EventPattern.Parse(json));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void TryParse_reports_the_error_without_throwing()
    {
        Assert.False(EventPattern.TryParse("""{"a":[{"exists":1}]}""", out var pattern, out var error));
        Assert.Null(pattern);
        Assert.StartsWith("a[0].exists:", error, StringComparison.Ordinal);
        Assert.False(EventPattern.TryParse("not json", out _, out error));
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":1} x")]
    [InlineData("")]
    public void Malformed_events_are_refused_with_a_position(string evt)
    {
        var pattern = EventPattern.Parse("""{"a":[1]}""");
        var e = Assert.Throws<MalformedEventException>(() => pattern.Matches(Encoding.UTF8.GetBytes(evt)));
        Assert.True(e.BytePosition >= 0);
        Assert.Contains("at byte", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skipped_subtrees_are_still_checked_for_well_formedness()
    {
        var pattern = EventPattern.Parse("""{"a":[1]}""");
        Assert.Throws<MalformedEventException>(() => pattern.Matches("""{"a":1,"b":{"c":[1,}}"""u8));
    }

    [Fact]
    public void Matches_accepts_a_JsonElement()
    {
        using var evt = JsonDocument.Parse("""{"detail":{"eventName":"DeleteTrail"}}""");
        Assert.True(EventPattern.Parse("""{"detail":{"eventName":[{"prefix":"Delete"}]}}""").Matches(evt.RootElement));
        Assert.False(EventPattern.Parse("""{"detail":{"eventName":[{"prefix":"Create"}]}}""").Matches(evt.RootElement));
    }

    [Fact]
    public void Explain_says_field_by_field_what_was_expected_and_found()
    {
        var pattern = EventPattern.Parse("""{"source":["aws.iam"],"detail":{"eventName":[{"prefix":"Delete"}],"errorCode":[{"exists":false}]}}""");
        using var evt = JsonDocument.Parse("""{"source":"aws.iam","detail":{"eventName":"CreateUser"}}""");
        var lines = pattern.Explain(evt.RootElement);
        Assert.Equal(["detail.errorCode", "detail.eventName", "source"], lines.Select(l => l.Path));
        Assert.Equal(new FieldExplanation("detail.eventName", false, """{"prefix": "Delete"}""", "\"CreateUser\""), lines[1]);
        Assert.True(lines[0].Matched);
        Assert.Equal("(absent)", lines[0].Actual);
        Assert.True(lines[2].Matched);
    }

    [Fact]
    public void Explain_lists_each_or_branch()
    {
        var pattern = EventPattern.Parse("""{"$or":[{"a":["1"]},{"b":[{"numeric":[">",5]}]}]}""");
        using var evt = JsonDocument.Parse("""{"b":7}""");
        var lines = pattern.Explain(evt.RootElement);
        Assert.Equal(["$or[0] a", "$or[1] b"], lines.Select(l => l.Path));
        Assert.Equal([false, true], lines.Select(l => l.Matched));
    }

    [Fact]
    public void PatternMatcher_returns_names_in_the_given_order()
    {
        var matcher = PatternMatcher.Build(
        [
            ("zeta", EventPattern.Parse("""{"source":["aws.s3"]}""")),
            ("alpha", EventPattern.Parse("""{"detail":{"bucket":[{"prefix":"logs-"}]}}""")),
            ("never", EventPattern.Parse("""{"source":["aws.ec2"]}""")),
            ("or", EventPattern.Parse("""{"$or":[{"source":["aws.s3"]},{"source":["aws.kms"]}]}""")),
        ]);
        var names = matcher.Match("""{"source":"aws.s3","detail":{"bucket":"logs-1"}}"""u8);
        Assert.Equal(["zeta", "alpha", "or"], names);
        var indexes = new List<int>();
        Assert.Equal(1, matcher.MatchRules("""{"source":"aws.kms"}"""u8, indexes));
        Assert.Equal([3], indexes);
        Assert.Empty(matcher.Match("""{"source":"aws.sts"}"""u8));
    }
}
