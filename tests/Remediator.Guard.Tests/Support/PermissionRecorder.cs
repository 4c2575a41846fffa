using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Remediator.Aws.Lambda;

namespace Remediator.Guard.Tests.Support;

/// <summary>
/// Records the IAM action behind every AWS request a guard sends, read off the wire (the signed request's credential
/// scope names the service; the protocol names the operation), so that a test can hold the function's role in the
/// template to what its code really calls.
/// </summary>
internal sealed partial class PermissionRecorder
{
    private readonly ConcurrentDictionary<string, byte> _actions = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Actions => _actions.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The handler under the signer of the guard's signed clients.</summary>
    public HttpMessageHandler Handler() => new Recording(this);

    /// <summary>Called by the AWSSDK DynamoDB client's handler (audit table and table remediation).</summary>
    public void Observe(HttpRequestMessage request) => _actions.TryAdd(ActionOf(request), 0);

    private static string ActionOf(HttpRequestMessage request)
    {
        var authorization = request.Headers.TryGetValues("Authorization", out var values) ? string.Join(' ', values) : string.Empty;
        var service = ScopeService().Match(authorization).Groups[1].Value;
        if (request.Headers.TryGetValues("X-Amz-Target", out var targets))
        {
            // JSON protocols: AWSEvents.RemovePermission, DynamoDB_20120810.UpdateItem, TrentService.DescribeKey
            var target = targets.First();
            return $"{service}:{target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..]}";
        }

        if (service is "iam" or "sns" or "sts")
        {
            var body = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
            var action = body.Split('&').Select(p => p.Split('=', 2)).First(p => p[0] == "Action")[1];
            return $"{service}:{action}";
        }

        if (service == "apigateway")
        {
            return $"apigateway:{request.Method.Method}";
        }

        if (service == "lambda")
        {
            var path = request.RequestUri!.AbsolutePath;
            var operation = LambdaOperations.All.Append(Aws.Inventory.InventoryOperations.ListFunctions)
                .FirstOrDefault(o => o.Method == request.Method && Template(o).IsMatch(path));
            return operation?.RequiredPermission ?? $"lambda:UNKNOWN {request.Method} {path}";
        }

        return $"{service}:UNKNOWN {request.Method} {request.RequestUri}";
    }

    private static Regex Template(AwsOperation operation) =>
        new("^" + Regex.Replace(Regex.Escape(operation.UriTemplate.Split('?')[0]), @"\\\{[^}]+\}", "[^/]+") + "$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request", RegexOptions.CultureInvariant)]
    private static partial Regex ScopeService();

    private sealed class Recording(PermissionRecorder recorder) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            recorder.Observe(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
