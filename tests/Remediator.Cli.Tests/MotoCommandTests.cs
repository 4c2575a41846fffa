using System.IO.Compression;
using System.Text;
using Amazon.Runtime;
using Remediator.Aws.State;
using Remediator.Aws.Transport;
using Remediator.Testing;

namespace Remediator.Cli.Tests;

/// <summary>
/// The set-up of the tests that run commands against a real AWS API (moto over HTTP): moto reset before each test, a
/// temporary folder for the audit file and the event files, clients to build the estate and read it back, and the
/// documents and events the tests share. The CLI finds credentials as the AWS CLI does, here in the variables
/// test.runsettings gives the test process; nothing here sets them.
/// </summary>
public abstract class MotoCommandTests : IAsyncLifetime, IDisposable
{
    protected const string Region = "us-east-1";
    protected const string Account = "123456789012";
    protected const string AdminPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    protected const string TrustLambda = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    protected MotoCommandTests(MotoServer moto, string folderPrefix)
    {
        Moto = moto;
        Dir = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        Clients = new AwsClients(ClientOptions, new AwsTransportSettings { Credentials = Credentials, Environment = _ => null });
    }

    protected MotoServer Moto { get; }

    /// <summary>The test's own folder: audit file, event files.</summary>
    protected string Dir { get; }

    /// <summary>Clients on moto, for building the estate and reading it back.</summary>
    protected AwsClients Clients { get; }

    protected AwsClientOptions ClientOptions => new() { Region = Region, EndpointUrl = Moto.Endpoint };

    protected static BasicAWSCredentials Credentials => new(MotoServer.AccessKey, MotoServer.SecretKey);

    protected string AuditFile => Path.Combine(Dir, "audit.jsonl");

    /// <summary>The AWS options every command run gets: moto's endpoint and the region.</summary>
    protected string[] AwsArguments => ["--endpoint-url", Moto.Endpoint.ToString(), "--region", Region];

    public virtual Task InitializeAsync() => Moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Clients.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }

    /// <summary>An EventBridge envelope of a CloudTrail record, as the guard and the failure queue receive it.</summary>
    protected static string Envelope(string service, string name, string id, string request, string response = "null", string actor = $"arn:aws:iam::{Account}:user/alice") =>
        $$$"""
            {"version":"0","id":"{{{Guid.NewGuid()}}}","detail-type":"AWS API Call via CloudTrail","source":"aws.{{{service}}}",
             "account":"{{{Account}}}","time":"{{{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}}","region":"{{{Region}}}","resources":[],
             "detail":{"eventVersion":"1.09","eventTime":"{{{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}}","eventSource":"{{{service}}}.amazonaws.com",
               "eventName":"{{{name}}}","awsRegion":"{{{Region}}}","eventID":"{{{id}}}","recipientAccountId":"{{{Account}}}",
               "userIdentity":{"type":"IAMUser","arn":"{{{actor}}}","accountId":"{{{Account}}}"},
               "requestParameters":{{{request}}},"responseElements":{{{response}}}}}
            """;

    /// <summary>Writes an event to <c>{id}.json</c> in the test's folder, as a recorded event would be, and returns its path.</summary>
    protected string EventFile(string id, string json)
    {
        var path = Path.Combine(Dir, id + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>A Lambda deployment package with one Python handler.</summary>
    protected static byte[] HandlerZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("index.py").Open();
            entry.Write(Encoding.UTF8.GetBytes("def handler(e, c):\n    return e\n"));
        }

        return buffer.ToArray();
    }
}
