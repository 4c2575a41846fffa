using Remediator.Detectors.Actions;

namespace Remediator.Detectors.Tests.Actions;

public sealed class TagValueTemplateTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["rule"] = "no-public-bus",
        ["eventId"] = "2fe6dcc9-0858-4527-9af2-0097752588ef",
        ["time"] = "2025-05-01T09:15:00Z",
        ["concern"] = "public-event-bus",
        ["severity"] = "high",
    };

    [Theory]
    [InlineData("{rule}", "no-public-bus")]
    [InlineData("{concern}/{severity} at {time}", "public-event-bus/high at 2025-05-01T09:15:00Z")]
    [InlineData("event {eventId}", "event 2fe6dcc9-0858-4527-9af2-0097752588ef")]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    public void Render_fills_placeholders(string template, string expected)
    {
        Assert.Equal(expected, TagValueTemplate.Render(template, Values));
    }

    [Fact]
    public void Render_leaves_an_unknown_placeholder_as_written_and_a_missing_value_empty()
    {
        var rendered = TagValueTemplate.Render("{rule}|{other}", new Dictionary<string, string>());

        // {rule} has no value: empty. {other} stays, then '|', '{' and '}' (not tag characters) each become '_'.
        Assert.Equal("__other_", rendered);
    }

    [Fact]
    public void Render_makes_the_value_a_valid_tag_value()
    {
        var rendered = TagValueTemplate.Render("{rule}", new Dictionary<string, string> { ["rule"] = "a#b" + new string('x', 300) });

        Assert.Equal(TagValueTemplate.MaximumValueLength, rendered.Length);
        Assert.StartsWith("a_b", rendered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{rule}-{eventId}", null)]
    [InlineData("{Rule}", "unknown placeholder '{Rule}'")]
    [InlineData("{}", "unknown placeholder '{}'")]
    [InlineData("x{rule", "never closed")]
    public void Validate_names_what_is_wrong(string template, string? expected)
    {
        var problem = TagValueTemplate.Validate(template);

        if (expected is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
    }
}
