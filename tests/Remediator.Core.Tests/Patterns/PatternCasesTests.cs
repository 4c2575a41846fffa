using System.Text;
using Remediator.Core.Patterns;

namespace Remediator.Core.Tests.Patterns;

/// <summary>
/// The table in cases/*.json: EventBridge's documented operators and event-ruler's behaviour (its tests and its
/// source), one {"pattern", "event", "expected": true|false|"invalid", "why"} per row.
/// </summary>
public sealed class PatternCasesTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Patterns", "cases"), "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            for (var i = 0; i < document.RootElement.GetArrayLength(); i++)
            {
                data.Add(Path.GetFileName(file), i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_gives_the_expected_answer(string file, int index)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Patterns", "cases", file)));
        var row = document.RootElement[index];
        var why = row.GetProperty("why").GetString();
        var expected = row.GetProperty("expected");
        var parsed = EventPattern.TryParse(row.GetProperty("pattern"), out var pattern, out var error);
        if (expected.ValueKind == JsonValueKind.String)
        {
            Assert.Equal("invalid", expected.GetString());
            Assert.False(parsed, $"{why}: expected an invalid pattern");
            Assert.False(string.IsNullOrWhiteSpace(error));
            return;
        }

        Assert.True(parsed, $"{why}: {error}");
        var evt = Encoding.UTF8.GetBytes(row.GetProperty("event").GetRawText());
        Assert.True(expected.GetBoolean() == pattern!.Matches(evt), $"{why}: expected {expected.GetBoolean()}");
    }
}
