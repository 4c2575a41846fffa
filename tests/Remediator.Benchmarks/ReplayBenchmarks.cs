using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Remediator.Core.Engine;
using Remediator.Core.Events;
using Remediator.Core.Ports.Offline;
using Remediator.Core.Rules;
using Remediator.Composition;

namespace Remediator.Benchmarks;

/// <summary>
/// The guard's whole decision per event, as <c>remediator replay</c> makes it: match the 9 default rules, run the
/// detectors, exemptions and planner. Input: every bundled fixture (real and synthetic) copied until there are N events,
/// each copy with its own eventID (a second delivery of an id is skipped as a duplicate, which would flatter the figure).
/// </summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    private IReadOnlyList<Rule> _rules = [];
    private List<CloudTrailEvent> _events = [];
    private RuleEngine? _engine;

    [Params(20_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Load()
    {
        var root = FindRoot();
        var rules = GuardComposition.CreateLoader().LoadPaths([Path.Combine(root, "rules")]);
        if (!rules.IsValid)
        {
            throw new InvalidOperationException(string.Join('\n', rules.Errors));
        }

        _rules = rules.Rules;
        var samples = new EventReader(EventReaderOptions.Default)
            .Read([Path.Combine(root, "tests", "fixtures", "cloudtrail"), Path.Combine(root, "tests", "fixtures", "synthetic")])
            .OfType<EventRead>()
            .Select(r => r.Event.Detail.GetRawText())
            .ToList();
        _events = Enumerable.Range(0, N).Select(i => WithEventId(samples[i % samples.Count], $"bench-{i}")).ToList();
    }

    [IterationSetup]
    public void NewEngine() =>
        _engine = GuardComposition.CreateEngine(_rules, OfflineStatePorts.Create(), new GuardOptions { CoolDown = TimeSpan.Zero, MaxChangesPerResource = int.MaxValue });

    [Benchmark(OperationsPerInvoke = 20_000)]
    public async Task<int> EvaluateEvents()
    {
        var findings = 0;
        foreach (var e in _events)
        {
            var evaluation = await _engine!.EvaluateAsync(e);
            findings += evaluation.Findings.Count();
        }

        return findings;
    }

    private static CloudTrailEvent WithEventId(string record, string eventId)
    {
        var node = JsonNode.Parse(record)!.AsObject();
        node["eventID"] = eventId;
        using var document = JsonDocument.Parse(node.ToJsonString());
        return CloudTrailEvent.TryCreate(document.RootElement, default, out var problem) ?? throw new InvalidOperationException(problem);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Remediator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the repository");
    }
}
