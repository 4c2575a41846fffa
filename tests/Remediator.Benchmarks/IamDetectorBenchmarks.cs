using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Remediator.Core;
using Remediator.Core.Detection;
using Remediator.Core.Events;
using Remediator.Core.Ports;
using Remediator.Core.Ports.Offline;
using Remediator.Detectors.Iam;

namespace Remediator.Benchmarks;

/// <summary>
/// Per-event decision time of <c>iam-broad-policy</c> for PutRolePolicy with generated documents of about 1, 5 and
/// 10 KB (many statements, a mix of narrow grants, wildcard patterns, conditions and one escalation). Goal: p99 under 1 ms.
/// </summary>
[MemoryDiagnoser]
[MaxColumn]
[Config(typeof(TailLatencyConfig))]
public class IamDetectorBenchmarks
{
    private readonly IamBroadPolicyDetector _detector = new();
    private DetectionContext[] _contexts = [];
    private int _next;

    [Params(1, 5, 10)]
    public int DocumentKilobytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var policy = GeneratePolicy(DocumentKilobytes * 1024);
        var record = new StringBuilder()
            .Append("""{"eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","awsRegion":"us-east-1","recipientAccountId":"111122223333",""")
            .Append("""  "eventTime":"2025-03-04T10:15:00Z","requestParameters":{"roleName":"app-role","policyName":"generated","policyDocument":""")
            .Append(JsonQuote(policy))
            .Append("}}")
            .ToString();
        using var document = JsonDocument.Parse(record);
        var ports = OfflineStatePorts.Create();

        // Two event objects of the same record, judged in turn: the detector reads an event's document once for all
        // its rules (EventPolicyDocuments), so judging one object again would skip the parse a new event pays for.
        _contexts = [.. Enumerable.Range(0, 2).Select(_ =>
            new DetectionContext(
                CloudTrailEvent.TryCreate(document.RootElement, default, out var problem) ?? throw new InvalidOperationException(problem),
                "bench", Severity.High, IamBroadPolicyOptions.Default, ports))];
    }

    [Benchmark]
    public int DetectPutRolePolicy() =>
        _detector.DetectAsync(_contexts[_next++ & 1], CancellationToken.None).AsTask().GetAwaiter().GetResult().Count;

    private static string GeneratePolicy(int targetBytes)
    {
        string[] templates =
        [
            """{"Sid":"Read{0}","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-{0}","arn:aws:s3:::bucket-{0}/*"]}""",
            """{"Sid":"Describe{0}","Effect":"Allow","Action":["ec2:Describe*","cloudwatch:Get*"],"Resource":"*"}""",
            """{"Sid":"Table{0}","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"],"Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/t{0}","Condition":{"Bool":{"aws:SecureTransport":"true"}}}""",
            """{"Sid":"Deny{0}","Effect":"Deny","Action":"iam:*","Resource":"*"}""",
        ];
        var statements = new List<string> { """{"Sid":"Escalate","Effect":"Allow","Action":["iam:Pass*","sqs:*"],"Resource":"*"}""" };
        var size = 60;
        for (var i = 0; size < targetBytes; i++)
        {
            var statement = templates[i % templates.Length].Replace("{0}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            statements.Add(statement);
            size += statement.Length + 1;
        }

        return """{"Version":"2012-10-17","Statement":[""" + string.Join(",", statements) + "]}";
    }

    private static string JsonQuote(string text)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStringValue(text);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// BenchmarkDotNet's statistics columns stop at P95: a P99 column is added. Run with <c>--job short</c> for
    /// throughput, or with <c>--filter '*IamDetector*' --iterationCount 1000 --invocationCount 1 --unrollFactor 1
    /// --warmupCount 100</c> so that each measurement is ONE decision: P99 is then the 10th-worst of a thousand events.
    /// </summary>
    private sealed class TailLatencyConfig : ManualConfig
    {
        public TailLatencyConfig() => AddColumn(StatisticColumn.P95, new P99Column());
    }

    private sealed class P99Column : IColumn
    {
        public string Id => nameof(P99Column);

        public string ColumnName => "P99";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Statistics;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Time;

        public string Legend => "Percentile 99: 99 % of measurements are at or below it";

        public bool IsAvailable(BenchmarkDotNet.Reports.Summary summary) => true;

        public bool IsDefault(BenchmarkDotNet.Reports.Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => false;

        public string GetValue(BenchmarkDotNet.Reports.Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) =>
            GetValue(summary, benchmarkCase, BenchmarkDotNet.Reports.SummaryStyle.Default);

        public string GetValue(
            BenchmarkDotNet.Reports.Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase, BenchmarkDotNet.Reports.SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            if (statistics is null)
            {
                return "NA";
            }

            // Nanoseconds, shown in microseconds like the other time columns of this benchmark.
            var p99 = statistics.Percentiles.Percentile(99);
            return (p99 / 1000).ToString("N1", System.Globalization.CultureInfo.InvariantCulture) + " μs";
        }
    }
}
