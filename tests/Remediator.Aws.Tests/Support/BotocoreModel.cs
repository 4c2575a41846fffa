using System.Diagnostics;
using System.IO.Compression;

namespace Remediator.Aws.Tests.Support;

/// <summary>
/// A botocore service model (<c>botocore/data/&lt;service&gt;/&lt;version&gt;/service-2.json[.gz]</c>) from the Python
/// installed on this machine: the authoritative shapes the requests are checked against.
/// </summary>
public sealed class BotocoreModel
{
    private static readonly Lazy<string> DataDirectory = new(FindDataDirectory);
    private static readonly Dictionary<string, BotocoreModel> Cache = new(StringComparer.Ordinal);
    private readonly JsonElement _root;

    private BotocoreModel(string service, JsonElement root)
    {
        Service = service;
        _root = root;
    }

    public string Service { get; }

    public string Protocol => Metadata("protocol")!;

    public string ApiVersion => Metadata("apiVersion")!;

    public string? TargetPrefix => Metadata("targetPrefix");

    /// <summary>The JSON protocol's version (<c>1.0</c> or <c>1.1</c>), for the content type.</summary>
    public string? JsonVersion => Metadata("jsonVersion");

    /// <summary>The SigV4 service name: <c>signingName</c>, else <c>endpointPrefix</c>.</summary>
    public string SigningName => Metadata("signingName") ?? Metadata("endpointPrefix")!;

    public static BotocoreModel Load(string service)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(service, out var model))
            {
                var versions = Directory.GetDirectories(Path.Combine(DataDirectory.Value, service)).Order(StringComparer.Ordinal).ToList();
                var latest = versions[^1];
                var plain = Path.Combine(latest, "service-2.json");
                using Stream stream = File.Exists(plain)
                    ? File.OpenRead(plain)
                    : new GZipStream(File.OpenRead(plain + ".gz"), CompressionMode.Decompress);
                using var document = JsonDocument.Parse(stream);
                model = new BotocoreModel(service, document.RootElement.Clone());
                Cache[service] = model;
            }

            return model;
        }
    }

    public bool HasOperation(string name) => _root.GetProperty("operations").TryGetProperty(name, out _);

    public JsonElement Operation(string name) =>
        _root.GetProperty("operations").TryGetProperty(name, out var operation)
            ? operation
            : throw new Xunit.Sdk.XunitException($"{Service} model has no operation {name}");

    public JsonElement Shape(string name) => _root.GetProperty("shapes").GetProperty(name);

    /// <summary>The input shape of an operation (an empty structure when it takes none).</summary>
    public JsonElement InputShape(string operation) =>
        Operation(operation).TryGetProperty("input", out var input) ? Shape(input.GetProperty("shape").GetString()!) : JsonDocument.Parse("""{"type":"structure","members":{}}""").RootElement;

    private string? Metadata(string name) =>
        _root.GetProperty("metadata").TryGetProperty(name, out var value) ? value.GetString() : null;

    private static string FindDataDirectory()
    {
        var start = new ProcessStartInfo("python3", ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var directory = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return Path.Combine(directory, "data");
    }
}
