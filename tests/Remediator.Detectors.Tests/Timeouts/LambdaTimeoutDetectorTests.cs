using Remediator.Core;
using Remediator.Core.Ports;
using Remediator.Detectors.Tests.Actions;
using Remediator.Composition;
using Remediator.Composition.Planning;
using Remediator.Detectors.Timeouts;

namespace Remediator.Detectors.Tests.Timeouts;

public sealed class LambdaTimeoutDetectorTests
{
    private static readonly Remediator.Core.Registry.DetectorDescriptor Descriptor = LambdaTimeoutDetector.Descriptor;
    private const string CreateFunction = "cloudtrail/lambda/CreateFunction20150331__1.json";
    private const string UpdateWithoutTimeout = "cloudtrail/lambda/UpdateFunctionConfiguration20150331v2__1.json";
    private const string UpdateTimeout10 = "cloudtrail/lambda/UpdateFunctionConfiguration20150331v2__2.json";
    private const string CreateWithoutTimeout = "synthetic/lambda/CreateFunction20150331_without_timeout.json";
    private const string WatcherArn = "arn:aws:lambda:ap-northeast-2:000000000000:function:cloudtrailwatcher-000000000000";

    private static object Options(params (string, object?)[] values) => DetectorHarness.Bind(Descriptor, values);

    private static Dictionary<string, long> Map(string name, long seconds) => new() { [name] = seconds };

    [Fact]
    public async Task Real_CreateFunction_with_120_s_is_above_the_default_maximum_and_reverted_to_the_target()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, CreateFunction));

        Assert.Equal(LambdaTimeoutDetector.CheckAboveMaximum, finding.Check);
        Assert.Equal(Concerns.MissingTimeout, finding.Concern);
        Assert.Equal(WatcherArn, finding.Resource);
        Assert.Equal("AWS::Lambda::Function", finding.ResourceType);
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("lambda:UpdateFunctionConfiguration", step.Operation);
        Assert.Equal(WatcherArn, (string?)step.Parameters["FunctionName"]);
        Assert.Equal(30, (int)step.Parameters["Timeout"]!);
        Assert.Equal(120, (long)step.Parameters["PreviousTimeout"]!);
        Assert.Equal(["lambda:UpdateFunctionConfiguration"], step.Permissions);
    }

    [Fact]
    public async Task A_maximum_that_allows_the_timeout_finds_nothing()
    {
        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, CreateFunction, Options(("maximumSeconds", 120L))));
    }

    [Theory]
    [InlineData("cloudtrailwatcher-000000000000")]
    [InlineData("arn:aws:lambda:ap-northeast-2:000000000000:function:cloudtrailwatcher-000000000000")]
    public async Task An_override_by_name_or_arn_raises_the_maximum_for_that_function(string key)
    {
        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, CreateFunction, Options(("overrides", Map(key, 200)))));
    }

    [Fact]
    public async Task An_override_below_the_target_is_what_the_revert_sets()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(
            Descriptor, CreateFunction, Options(("overrides", Map("cloudtrailwatcher-000000000000", 20)))));

        Assert.Equal(20, (int)finding.RevertSteps[0].Parameters["Timeout"]!);
        Assert.Contains(finding.Evidence, e => e.Contains("(override)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Real_UpdateFunctionConfiguration_without_a_timeout_key_changes_no_timeout()
    {
        // Its response says 20 s; even a 5 s maximum must not fire, because this call did not set the timeout.
        Assert.Empty(await DetectorHarness.DetectAsync(
            Descriptor, UpdateWithoutTimeout, Options(("maximumSeconds", 5L), ("targetSeconds", 5L))));
    }

    [Fact]
    public async Task Real_UpdateFunctionConfiguration_setting_10_s_is_within_the_default_maximum()
    {
        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, UpdateTimeout10));
    }

    [Fact]
    public async Task Real_UpdateFunctionConfiguration_with_placeholder_region_reports_the_function_name()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(
            Descriptor, UpdateTimeout10, Options(("maximumSeconds", 5L), ("targetSeconds", 5L))));

        Assert.Equal("fivexl-cloudtrail-to-slack", finding.Resource);
        Assert.Equal(5, (int)finding.RevertSteps[0].Parameters["Timeout"]!);
        Assert.Equal(10, (long)finding.RevertSteps[0].Parameters["PreviousTimeout"]!);
    }

    [Fact]
    public async Task CreateFunction_without_a_timeout_is_flagged_as_the_default_and_never_raised()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, CreateWithoutTimeout));

        Assert.Equal(LambdaTimeoutDetector.CheckDefaultTimeout, finding.Check);
        Assert.Empty(finding.RevertSteps);
        Assert.Contains(finding.Evidence, e => e.Contains("would lengthen the timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_shipped_rule_tags_and_notifies_a_function_created_without_a_timeout_and_plans_no_timeout_change()
    {
        var set = BuiltInRules.Load(GuardComposition.CreateLoader());
        var rule = Assert.Single(set.Rules, r => r.Id == "lambda-timeout");
        var ev = DetectorHarness.Load(CreateWithoutTimeout);
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, ev, rule.Detect.Options));

        var plan = new RemediationPlanner().Plan(rule, finding, ev, notifyOnly: false);

        Assert.Equal(["tag", "notify"], plan.Select(p => p.Action));
        Assert.DoesNotContain(plan, p => p.Operation == "lambda:UpdateFunctionConfiguration");
    }

    [Fact]
    public async Task CreateFunction_without_a_timeout_is_raised_to_the_target_only_when_the_rule_says_so()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, CreateWithoutTimeout, Options(("raiseDefaultTimeout", true))));

        Assert.Equal(LambdaTimeoutDetector.CheckDefaultTimeout, finding.Check);
        Assert.Equal(30, (int)finding.RevertSteps[0].Parameters["Timeout"]!);
        Assert.Equal(3, (long)finding.RevertSteps[0].Parameters["PreviousTimeout"]!);
    }

    [Fact]
    public async Task A_default_timeout_finding_with_a_target_below_3_s_is_shortened_without_being_asked()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, CreateWithoutTimeout, Options(("targetSeconds", 2L))));

        Assert.Equal(2, (int)Assert.Single(finding.RevertSteps).Parameters["Timeout"]!);
    }

    [Fact]
    public async Task CreateFunction_without_a_timeout_is_accepted_when_flagDefaultTimeout_is_false()
    {
        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, CreateWithoutTimeout, Options(("flagDefaultTimeout", false))));
    }

    [Theory]
    [InlineData(30, false)]
    [InlineData(900, true)]
    public async Task The_current_timeout_read_through_the_port_decides(int current, bool expectFinding)
    {
        var port = new FixedTimeoutPort(current);

        var findings = await DetectorHarness.DetectAsync(Descriptor, CreateFunction, ports: DetectorHarness.Ports(lambda: port));

        Assert.Equal(expectFinding, findings.Count == 1);
        Assert.Equal(WatcherArn, port.AskedFor);
    }

    [Theory]
    [InlineData("""{"functionName":"f","timeout":"600"}""", true)]
    [InlineData("""{"functionName":"f","timeout":"abc"}""", false)]
    [InlineData("""{"functionName":"f","timeout":null}""", false)]
    [InlineData("""{"functionName":{"x":1},"timeout":600}""", false)]
    [InlineData("""{"timeout":600}""", false)]
    [InlineData("""null""", false)]
    [InlineData("""["f"]""", false)]
    public async Task Odd_requests_never_throw(string requestParameters, bool expectFinding)
    {
        var ev = DetectorHarness.Parse($$"""
            {"eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionConfiguration20150331v2","responseElements":"null","requestParameters":{{requestParameters}}}
            """);

        Assert.Equal(expectFinding, (await DetectorHarness.DetectAsync(Descriptor, ev)).Count == 1);
    }

    [Theory]
    [InlineData("UpdateFunctionConfiguration", true)]
    [InlineData("UpdateFunctionConfiguration20150331v3", true)]
    [InlineData("UpdateFunctionCode20150331v2", false)]
    public async Task Matches_the_operation_whatever_its_version_suffix(string eventName, bool expectFinding)
    {
        var ev = DetectorHarness.Parse($$$"""
            {"eventSource":"lambda.amazonaws.com","eventName":"{{{eventName}}}","requestParameters":{"functionName":"f","timeout":600}}
            """);

        Assert.Equal(expectFinding, (await DetectorHarness.DetectAsync(Descriptor, ev)).Count == 1);
    }

    [Fact]
    public void Options_have_the_documented_defaults()
    {
        var options = Assert.IsType<LambdaTimeoutOptions>(DetectorHarness.Bind(Descriptor));

        Assert.Equal(60, options.Timeout.Maximum);
        Assert.Equal(30, options.Timeout.Target);
        Assert.True(options.Timeout.FlagDefault);
        Assert.Empty(options.Overrides);
        Assert.False(options.RaiseDefaultTimeout);
        Assert.Equal(["maximumSeconds", "targetSeconds", "flagDefaultTimeout", "overrides", "raiseDefaultTimeout"], Descriptor.Options.Select(o => o.Name));
    }

    [Theory]
    [InlineData("maximumSeconds", 0L, "maximumSeconds")]
    [InlineData("maximumSeconds", 901L, "maximumSeconds")]
    [InlineData("targetSeconds", 61L, "must not exceed 'maximumSeconds'")]
    [InlineData("targetSeconds", 0L, "targetSeconds")]
    public void Bad_option_values_are_rejected_with_a_clear_message(string name, long value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => DetectorHarness.Bind(Descriptor, (name, value)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_out_of_range_is_rejected_naming_the_function()
    {
        var error = Assert.Throws<ArgumentException>(() => DetectorHarness.Bind(Descriptor, ("overrides", Map("big", 1000))));

        Assert.Contains("'big'", error.Message, StringComparison.Ordinal);
    }

    private sealed class FixedTimeoutPort(int timeout) : ILambdaStatePort
    {
        public string? AskedFor { get; private set; }

        public ValueTask<int?> GetFunctionTimeoutAsync(string functionNameOrArn, CancellationToken cancellationToken)
        {
            AskedFor = functionNameOrArn;
            return ValueTask.FromResult<int?>(timeout);
        }
    }
}
