using System.Net;
using System.Text;
using Remediator.Aws.Protocols;

namespace Remediator.Aws.Tests.Protocols;

public sealed class ErrorReaderTests
{
    [Fact]
    public void Query_error_gives_code_message_and_request_id()
    {
        var response = Response(HttpStatusCode.NotFound, """
            <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name app cannot be found.</Message></Error>
              <RequestId>4a5b</RequestId>
            </ErrorResponse>
            """);

        Assert.Equal(new AwsErrorDetails("NoSuchEntity", "The role with name app cannot be found.", "4a5b"), QueryProtocol.ReadError(response));
    }

    [Fact]
    public void Json_error_type_loses_its_namespace()
    {
        var response = Response(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.events#ResourceNotFoundException","Message":"Event bus x does not exist."}""", ("x-amzn-RequestId", "r-1"));

        Assert.Equal(new AwsErrorDetails("ResourceNotFoundException", "Event bus x does not exist.", "r-1"), Json.ReadError(response));
    }

    [Fact]
    public void Rest_error_type_header_wins_and_loses_its_suffix()
    {
        var response = Response(HttpStatusCode.NotFound, """{"Type":"User","message":"Function not found"}""", ("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/"));

        Assert.Equal("ResourceNotFoundException", Json.ReadError(response).Code);
        Assert.Equal("Function not found", Json.ReadError(response).Message);
    }

    [Fact]
    public void Empty_or_foreign_bodies_still_give_a_code()
    {
        Assert.Equal("Http502", Json.ReadError(Response(HttpStatusCode.BadGateway, "<html>bad gateway</html>")).Code);
        Assert.Equal("Http503", QueryProtocol.ReadError(Response(HttpStatusCode.ServiceUnavailable, "")).Code);
    }

    [Theory]
    [InlineData("/2017-03-31/tags/{Resource}", "arn:aws:lambda:us-east-1:1:function:f", "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af")]
    [InlineData("/tags/{resource_arn}", "arn:aws:apigateway:us-east-1::/restapis/a/stages/b", "/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fa%2Fstages%2Fb")]
    [InlineData("/keys/{Key+}", "a b/c", "/keys/a%20b/c")]
    public void Uri_labels_are_escaped_and_greedy_labels_keep_slashes(string template, string value, string expected)
    {
        var label = template[(template.IndexOf('{') + 1)..template.IndexOf('}')].TrimEnd('+');

        Assert.Equal(expected, RestJsonProtocol.FillTemplate(template, new Dictionary<string, string> { [label] = value }));
    }

    private static AwsResponse Response(HttpStatusCode status, string body, params (string Name, string Value)[] headers) =>
        new(status, headers.ToDictionary(header => header.Name, header => header.Value, StringComparer.OrdinalIgnoreCase), Encoding.UTF8.GetBytes(body));
}
