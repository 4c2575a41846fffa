using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Remediator.Testing;

/// <summary>
/// A real moto server on 127.0.0.1 for integration tests: the AWS APIs over HTTP, not mocks of clients.
/// Each test project gets a server of its own, because <c>dotnet test Remediator.sln</c> runs test projects in parallel
/// and tests reset the server between them: the one named by <c>REMEDIATOR_MOTO_URL_&lt;PROJECT&gt;</c> when set
/// (e.g. REMEDIATOR_MOTO_URL_AWS for Remediator.Aws.Tests; .ci/run starts one per project), else one started here
/// (<c>python3 -m moto.server</c>) and stopped on dispose. Tests reset its state with <see cref="ResetAsync"/>.
/// Each test assembly declares its own collection (xunit needs the definition in the test assembly):
/// <c>[CollectionDefinition("moto")] public sealed class MotoCollection : ICollectionFixture&lt;MotoServer&gt;;</c>
/// </summary>
public sealed class MotoServer : IAsyncLifetime, IDisposable
{
    /// <summary>The variable that names a test project's own server is this prefix plus <see cref="ProjectKey"/>.</summary>
    public const string UrlVariablePrefix = "REMEDIATOR_MOTO_URL_";

    /// <summary>Dummy credentials: moto accepts any unless signature checks are switched on.</summary>
    public const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string AccountId = "123456789012";

    // A reset reloads AWS-managed IAM policies (MOTO_IAM_LOAD_MANAGED_POLICIES) for every account used since the last
    // one: about 4 s per account on this machine, more under load, so the organization tests' second account needs room.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private Process? _process;

    /// <summary>This test project's server: the one its variable names (<see cref="UrlVariable"/>), else one started here.</summary>
    public MotoServer()
    {
    }

    private MotoServer(IReadOnlyDictionary<string, string> environment) => _environment = environment;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1:5000");

    /// <summary>
    /// The running test project's key: AWS for Remediator.Aws.Tests. The test host runs one test assembly per process,
    /// so the one loaded assembly named *.Tests is it.
    /// </summary>
    public static string ProjectKey { get; } = FindProjectKey();

    /// <summary>The variable that names this test project's server, e.g. REMEDIATOR_MOTO_URL_AWS.</summary>
    public static string UrlVariable => UrlVariablePrefix + ProjectKey;

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(UrlVariable);

        if (_environment is null && !string.IsNullOrEmpty(configured))
        {
            Endpoint = new Uri(configured);
            await WaitUntilUpAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
            return;
        }

        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("python3", $"-m moto.server -H 127.0.0.1 -p {port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true";
        foreach (var (name, value) in _environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start python3 -m moto.server");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilUpAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a private server (never the shared one) with extra environment, e.g.
    /// <c>INITIAL_NO_AUTH_ACTION_COUNT=3</c> to make moto check SigV4 signatures after three unchecked requests.
    /// The caller disposes it.
    /// </summary>
    public static async Task<MotoServer> StartPrivateAsync(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var server = new MotoServer(environment);
        try
        {
            await server.InitializeAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Clears every resource moto holds, so each test starts from an empty account.</summary>
    public async Task ResetAsync()
    {
        using var response = await Http.PostAsync(new Uri(Endpoint, "/moto-api/reset"), content: null).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task WaitUntilUpAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(Endpoint, "/moto-api/")).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline || _process is { HasExited: true })
            {
                throw new InvalidOperationException($"moto did not come up at {Endpoint} within {limit.TotalSeconds:0} s");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static string FindProjectKey()
    {
        var names = AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetName().Name ?? string.Empty)
            .Where(n => n.StartsWith("Remediator.", StringComparison.Ordinal) && n.EndsWith(".Tests", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return names.Count == 1
            ? names[0]["Remediator.".Length..^".Tests".Length].Replace('.', '_').ToUpperInvariant()
            : "UNKNOWN";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
