namespace Remediator.Core.Tests.Rules;

public sealed class YamlJsonTests
{
    private static string ToJson(string yaml, out List<RuleError> errors)
    {
        errors = [];
        var document = Assert.Single(YamlTreeReader.ReadDocuments(yaml, "p.yaml", errors));
        return YamlJson.ToJson(document, "match", errors)?.GetRawText() ?? "<none>";
    }

    [Theory]
    [InlineData("x: [true]", """{"x":[true]}""")]
    [InlineData("x: [False]", """{"x":[false]}""")]
    [InlineData("x: [\"true\"]", """{"x":["true"]}""")]
    [InlineData("x: [null, ~, \"null\"]", """{"x":[null,null,"null"]}""")]
    [InlineData("x: [5, \"5\", '5', !!str 5]", """{"x":[5,"5","5","5"]}""")]
    [InlineData("x: [-1.5, 2e3, 0x1F, 0o17]", """{"x":[-1.5,2000,31,15]}""")]
    [InlineData("x: [aws.iam, 1.2.3, yes, on]", """{"x":["aws.iam","1.2.3","yes","on"]}""")]
    [InlineData("x: [{exists: false}]", """{"x":[{"exists":false}]}""")]
    [InlineData("x: [{numeric: [\">\", 0, \"<=\", 5]}]", """{"x":[{"numeric":[">",0,"<=",5]}]}""")]
    [InlineData("x:\n  - prefix: CreateFunction", """{"x":[{"prefix":"CreateFunction"}]}""")]
    [InlineData("a: &names [x, y]\nb: *names", """{"a":["x","y"],"b":["x","y"]}""")]
    public void Plain_scalars_are_typed_by_the_core_schema_and_quoted_ones_stay_strings(string yaml, string json)
    {
        Assert.Equal(json, ToJson(yaml, out var errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("x: [.inf]", "p.yaml:1:5: match.x[0]: '.inf' has no JSON form; quote it if a string is meant")]
    [InlineData("x:\n  y: [1, .nan]", "p.yaml:2:10: match.x.y[1]: '.nan' has no JSON form; quote it if a string is meant")]
    public void Numbers_without_a_json_form_are_errors_with_their_path(string yaml, string error)
    {
        Assert.Equal("<none>", ToJson(yaml, out var errors));
        Assert.Equal(error, Assert.Single(errors).ToString());
    }

    [Fact]
    public void Large_integers_that_do_not_fit_64_bits_become_json_numbers_anyway() =>
        Assert.Equal("""{"x":[1E+20]}""", ToJson("x: [100000000000000000000]", out _));
}
