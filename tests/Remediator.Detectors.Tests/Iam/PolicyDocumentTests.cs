using System.Text.Json;
using Remediator.Detectors.Iam;

namespace Remediator.Detectors.Tests.Iam;

public sealed class PolicyDocumentTests
{
    private const string Compact = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}""";

    [Fact]
    public void Reads_compact_pretty_and_tab_indented_text_alike()
    {
        var pretty = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\"],\n      \"Resource\": [\"*\"]\n    }\n  ]\n}";
        var tabs = pretty.Replace("  ", "\t", StringComparison.Ordinal);
        foreach (var text in new[] { Compact, pretty, tabs })
        {
            var document = PolicyDocument.FromText(text);
            Assert.Empty(document.Problems);
            var statement = Assert.Single(document.Statements);
            Assert.True(statement.IsAllow);
            Assert.Equal(["s3:GetObject"], statement.Actions);
            Assert.Equal(["*"], statement.Resources);
        }
    }

    [Fact]
    public void Decodes_url_encoded_text_with_RFC_3986_rules_keeping_a_literal_plus()
    {
        var encoded = Uri.EscapeDataString("""{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a+b/*"}]}""");
        Assert.StartsWith("%7B", encoded, StringComparison.Ordinal);
        var document = PolicyDocument.FromText(encoded);
        Assert.Equal(["arn:aws:s3:::a+b/*"], Assert.Single(document.Statements).Resources);
    }

    [Fact]
    public void Leaves_plain_json_containing_a_percent_sign_alone()
    {
        var text = """{"Statement":[{"Sid":"100%","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        Assert.Equal(text, PolicyDocument.Decode(text));
        Assert.Equal("100%", Assert.Single(PolicyDocument.FromText(text).Statements).Sid);
    }

    [Fact]
    public void Reads_a_document_given_as_a_json_object()
    {
        using var json = JsonDocument.Parse(Compact);
        var document = PolicyDocument.FromMember(json.RootElement);
        Assert.NotNull(document);
        Assert.Single(document.Statements);
    }

    [Fact]
    public void An_absent_or_null_document_is_nothing_to_judge()
    {
        Assert.Null(PolicyDocument.FromMember(default));
        using var json = JsonDocument.Parse("null");
        Assert.Null(PolicyDocument.FromMember(json.RootElement));
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("{}", "no Statement")]
    [InlineData("[]", "not an object")]
    [InlineData("""{"Statement":5}""", "Statement is a JSON Number")]
    [InlineData("""{"Statement":[]}""", "Statement list is empty")]
    [InlineData("""{"Statement":["Allow"]}""", "statement #1 is a JSON String")]
    [InlineData("""{"Statement":[{"Action":"*","Resource":"*"}]}""", "no Effect")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":{"a":1},"Resource":"*"}]}""", "Action must be a string or a list of strings")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":["s3:GetObject",5],"Resource":"*"}]}""", "Action must be a string or a list of strings")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":true}]}""", "Resource must be")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":["*"],"Action":"sts:AssumeRole"}]}""", "Principal must be")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":{"AWS":5},"Action":"sts:AssumeRole"}]}""", "Principal.AWS must be")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":"x"}]}""", "Condition is a JSON String")]
    public void Malformed_documents_are_reported_never_thrown(string text, string problem)
    {
        var document = PolicyDocument.FromText(text);
        Assert.Contains(document.Problems, p => p.Contains(problem, StringComparison.Ordinal));
        Assert.True(document.IsUnreadable);
    }

    [Fact]
    public void A_bad_statement_does_not_hide_the_good_ones()
    {
        var document = PolicyDocument.FromText("""{"Statement":[7,{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        Assert.False(document.IsUnreadable);
        Assert.Single(document.Problems);
        Assert.Equal(1, Assert.Single(document.Statements).Index);
    }

    [Fact]
    public void Reads_principals_as_star_string_or_object_with_string_or_list_values()
    {
        var document = PolicyDocument.FromText("""
            {"Statement":[
              {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
              {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","*"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
              {"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}
            """);
        Assert.Empty(document.Problems);
        Assert.True(document.Statements[0].Principal!.Everyone);
        Assert.Equal(["arn:aws:iam::123456789012:root", "*"], document.Statements[1].Principal!.Aws);
        Assert.Equal(["ec2.amazonaws.com"], document.Statements[1].Principal!.Service);
        Assert.NotNull(document.Statements[2].NotPrincipal);
    }

    [Fact]
    public void Deep_nesting_is_an_unparseable_document_not_a_crash()
    {
        var text = """{"Statement":""" + new string('[', 200) + new string(']', 200) + "}";
        Assert.True(PolicyDocument.FromText(text).IsUnreadable);
    }
}
