using System.Text.RegularExpressions;

namespace Remediator.Aws.Tests.Support;

/// <summary>
/// Checks a signed request against a botocore model: operation, method, URI (template filled), protocol headers,
/// that every member sent exists in the input shape (recursively) and every required member is present, and the
/// SigV4 Authorization header's scope.
/// </summary>
public static class ModelContract
{
    public static void AssertMatches(BotocoreModel model, string operationName, RecordedRequest request, string signingRegion)
    {
        var operation = model.Operation(operationName);
        var http = operation.GetProperty("http");
        var input = model.InputShape(operationName);
        AssertSigned(request, signingRegion, model.SigningName);

        switch (model.Protocol)
        {
            case "query":
                AssertQuery(model, operationName, request, input);
                break;
            case "json":
                Assert.Equal(HttpMethod.Post, request.Method);
                Assert.Equal("/", request.Uri.AbsolutePath);
                Assert.Equal($"{model.TargetPrefix}.{operationName}", request.Header("X-Amz-Target"));
                Assert.StartsWith($"application/x-amz-json-{model.JsonVersion}", request.Header("Content-Type"), StringComparison.Ordinal);
                AssertJsonBody(model, input, request.Body, useLocationNames: false);
                break;
            case "rest-json":
                Assert.Equal(http.GetProperty("method").GetString(), request.Method.Method);
                AssertRest(model, input, http.GetProperty("requestUri").GetString()!, request);
                break;
            default:
                throw new Xunit.Sdk.XunitException($"protocol {model.Protocol} not covered");
        }
    }

    /// <summary>The operation descriptor agrees with the model: name, method and URI template, permission's prefix.</summary>
    public static void AssertDescriptor(BotocoreModel model, AwsOperation descriptor, string permissionPrefix)
    {
        var http = model.Operation(descriptor.Name).GetProperty("http");
        Assert.Equal(http.GetProperty("method").GetString(), descriptor.Method.Method);
        Assert.Equal(http.GetProperty("requestUri").GetString(), descriptor.UriTemplate);
        var expectedPermission = permissionPrefix == "apigateway" ? $"apigateway:{descriptor.Method.Method}" : $"{permissionPrefix}:{descriptor.Name}";
        Assert.Equal(expectedPermission, descriptor.RequiredPermission);
    }

    private static void AssertSigned(RecordedRequest request, string region, string service)
    {
        var authorization = request.Header("Authorization");
        Assert.NotNull(authorization);
        var match = Regex.Match(authorization, @"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$");
        Assert.True(match.Success, $"not a SigV4 header: {authorization}");
        Assert.Equal(region, match.Groups[3].Value);
        Assert.Equal(service, match.Groups[4].Value);
        var signed = match.Groups[5].Value.Split(';');
        Assert.Contains("host", signed);
        Assert.Contains("x-amz-date", signed);
        Assert.NotNull(request.Header("X-Amz-Date"));
        Assert.StartsWith(match.Groups[2].Value, request.Header("X-Amz-Date"), StringComparison.Ordinal);
    }

    private static void AssertQuery(BotocoreModel model, string operationName, RecordedRequest request, JsonElement input)
    {
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/", request.Uri.AbsolutePath);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"), StringComparison.Ordinal);
        var form = request.Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Name: Uri.UnescapeDataString(parts[0]), Value: Uri.UnescapeDataString(parts.Length > 1 ? parts[1] : "")))
            .ToList();
        Assert.Equal(operationName, Assert.Single(form, member => member.Name == "Action").Value);
        Assert.Equal(model.ApiVersion, Assert.Single(form, member => member.Name == "Version").Value);
        var members = form.Where(member => member.Name is not ("Action" or "Version")).ToList();
        Assert.Equal(members.Count, members.Select(member => member.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (var (name, _) in members)
        {
            AssertQueryPath(model, input, name.Split('.'), name);
        }

        foreach (var required in Required(input))
        {
            Assert.Contains(members, member => member.Name == required || member.Name.StartsWith(required + ".", StringComparison.Ordinal));
        }
    }

    // Walks Name.member.N.Key (lists), Name.entry.N.key/value (maps) and nested structures.
    private static void AssertQueryPath(BotocoreModel model, JsonElement shape, ReadOnlySpan<string> path, string full)
    {
        if (path.IsEmpty)
        {
            Assert.True(shape.GetProperty("type").GetString() is not ("structure" or "list" or "map"), $"{full} stops at a {shape.GetProperty("type")}");
            return;
        }

        switch (shape.GetProperty("type").GetString())
        {
            case "structure":
                Assert.True(shape.GetProperty("members").TryGetProperty(path[0], out var member), $"{full}: no member {path[0]}");
                AssertQueryPath(model, model.Shape(member.GetProperty("shape").GetString()!), path[1..], full);
                break;
            case "list":
                Assert.True(path.Length >= 2 && path[0] == "member" && int.TryParse(path[1], out _), $"{full}: list items must be member.N");
                AssertQueryPath(model, model.Shape(shape.GetProperty("member").GetProperty("shape").GetString()!), path[2..], full);
                break;
            case "map":
                Assert.True(path.Length >= 3 && path[0] == "entry" && int.TryParse(path[1], out _) && path[2] is "key" or "value", $"{full}: map items must be entry.N.key/value");
                var side = path[2] == "key" ? "key" : "value";
                AssertQueryPath(model, model.Shape(shape.GetProperty(side).GetProperty("shape").GetString()!), path[3..], full);
                break;
            default:
                throw new Xunit.Sdk.XunitException($"{full}: scalar {shape.GetProperty("type")} has no members");
        }
    }

    private static void AssertRest(BotocoreModel model, JsonElement input, string requestUri, RecordedRequest request)
    {
        var template = requestUri.Split('?')[0];
        var labelNames = new List<string>();
        var pattern = "^" + Regex.Replace(Regex.Escape(template).Replace("\\{", "{", StringComparison.Ordinal), @"\{([^}+]+)(\+?)\}", match =>
        {
            labelNames.Add(match.Groups[1].Value);
            return match.Groups[2].Value == "+" ? "(.+)" : "([^/]+)";
        }) + "$";
        var path = request.Uri.AbsolutePath;
        var matched = Regex.Match(path, pattern);
        Assert.True(matched.Success, $"{request.Method} {path} does not fit {template}");

        var members = input.GetProperty("members");
        var sentUri = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < labelNames.Count; index++)
        {
            var member = members.EnumerateObject().Single(m => Location(m.Value) == "uri" && LocationName(m) == labelNames[index]);
            Assert.False(string.IsNullOrEmpty(Uri.UnescapeDataString(matched.Groups[index + 1].Value)));
            sentUri.Add(member.Name);
        }

        var sentQuery = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in request.Uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(pair.Split('=')[0]);
            var member = members.EnumerateObject().SingleOrDefault(m => Location(m.Value) == "querystring" && LocationName(m) == name);
            Assert.True(member.Value.ValueKind != JsonValueKind.Undefined, $"query member {name} not in the model");
            sentQuery.Add(member.Name);
        }

        var bodyMembers = members.EnumerateObject().Where(m => Location(m.Value) is null).ToList();
        var sentBody = new HashSet<string>(StringComparer.Ordinal);
        if (request.Body.Length > 0)
        {
            Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
            using var body = JsonDocument.Parse(request.Body);
            foreach (var property in body.RootElement.EnumerateObject())
            {
                var member = bodyMembers.SingleOrDefault(m => LocationName(m) == property.Name);
                Assert.True(member.Value.ValueKind != JsonValueKind.Undefined, $"body member {property.Name} not in the model");
                AssertJsonValue(model, model.Shape(member.Value.GetProperty("shape").GetString()!), property.Value, useLocationNames: true, property.Name);
                sentBody.Add(member.Name);
            }
        }

        foreach (var required in Required(input))
        {
            Assert.True(sentUri.Contains(required) || sentQuery.Contains(required) || sentBody.Contains(required), $"required member {required} not sent");
        }
    }

    private static void AssertJsonBody(BotocoreModel model, JsonElement input, string body, bool useLocationNames)
    {
        using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        AssertJsonValue(model, input, document.RootElement, useLocationNames, "$");
    }

    private static void AssertJsonValue(BotocoreModel model, JsonElement shape, JsonElement value, bool useLocationNames, string where)
    {
        switch (shape.GetProperty("type").GetString())
        {
            case "structure":
                Assert.Equal(JsonValueKind.Object, value.ValueKind);
                var members = shape.GetProperty("members").EnumerateObject().ToList();
                foreach (var property in value.EnumerateObject())
                {
                    var member = members.SingleOrDefault(m => (useLocationNames ? LocationName(m) : m.Name) == property.Name);
                    Assert.True(member.Value.ValueKind != JsonValueKind.Undefined, $"{where}.{property.Name} not in the model");
                    AssertJsonValue(model, model.Shape(member.Value.GetProperty("shape").GetString()!), property.Value, useLocationNames, $"{where}.{property.Name}");
                }

                foreach (var required in Required(shape))
                {
                    var name = useLocationNames ? LocationName(members.Single(m => m.Name == required)) : required;
                    Assert.True(value.TryGetProperty(name, out _), $"{where}: required member {name} not sent");
                }

                break;
            case "list":
                Assert.Equal(JsonValueKind.Array, value.ValueKind);
                foreach (var item in value.EnumerateArray())
                {
                    AssertJsonValue(model, model.Shape(shape.GetProperty("member").GetProperty("shape").GetString()!), item, useLocationNames, where + "[]");
                }

                break;
            case "map":
                Assert.Equal(JsonValueKind.Object, value.ValueKind);
                foreach (var entry in value.EnumerateObject())
                {
                    AssertJsonValue(model, model.Shape(shape.GetProperty("value").GetProperty("shape").GetString()!), entry.Value, useLocationNames, $"{where}.{entry.Name}");
                }

                break;
            case "string" or "timestamp":
                Assert.Equal(JsonValueKind.String, value.ValueKind);
                break;
            case "blob":
                Assert.Equal(JsonValueKind.String, value.ValueKind);
                Assert.True(Convert.TryFromBase64String(value.GetString()!, new byte[value.GetString()!.Length], out _), $"{where} is not base64");
                break;
            case "integer" or "long" or "double" or "float":
                Assert.Equal(JsonValueKind.Number, value.ValueKind);
                break;
            case "boolean":
                Assert.True(value.ValueKind is JsonValueKind.True or JsonValueKind.False, $"{where} is not a boolean");
                break;
            default:
                throw new Xunit.Sdk.XunitException($"{where}: shape type {shape.GetProperty("type")} not covered");
        }
    }

    private static IEnumerable<string> Required(JsonElement shape) =>
        shape.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(name => name.GetString()!) : [];

    private static string? Location(JsonElement member) => member.TryGetProperty("location", out var location) ? location.GetString() : null;

    private static string LocationName(JsonProperty member) =>
        member.Value.TryGetProperty("locationName", out var name) ? name.GetString()! : member.Name;
}
