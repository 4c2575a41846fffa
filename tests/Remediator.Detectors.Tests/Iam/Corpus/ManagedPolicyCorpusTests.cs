using Remediator.Detectors.Iam;

namespace Remediator.Detectors.Tests.Iam.Corpus;

/// <summary>
/// The AWS managed policies moto ships, judged as inline policies would be, against the reviewed expectations in
/// Iam/Corpus/managed-policy-expectations.tsv. A changed verdict fails here and must be reviewed, not regenerated blindly.
/// </summary>
public sealed class ManagedPolicyCorpusTests
{
    private static readonly Lazy<IReadOnlyList<(string Name, string Expected)>> Expectations = new(() =>
        File.ReadAllLines(IamCorpus.PathOf("managed-policy-expectations.tsv"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .Select(c => (c[0], c[1]))
            .ToList());

    public static TheoryData<string, string> Reviewed()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, expected) in Expectations.Value)
        {
            data.Add(name, expected);
        }

        return data;
    }

    [Fact]
    public void At_least_100_policies_are_reviewed_and_all_exist_in_the_corpus()
    {
        Assert.True(Expectations.Value.Count >= 100, $"{Expectations.Value.Count} reviewed");
        Assert.All(Expectations.Value, e => Assert.True(IamCorpus.ManagedPolicies.ContainsKey(e.Name), e.Name));
        Assert.True(IamCorpus.ManagedPolicies.Count > 1000);
    }

    [Theory]
    [MemberData(nameof(Reviewed))]
    public void A_reviewed_policy_gets_its_reviewed_verdict(string name, string expected) =>
        Assert.Equal(expected, IamCorpus.Summary(IamCorpus.Judge(IamCorpus.ManagedPolicies[name])));

    [Theory]
    [InlineData("AdministratorAccess")]
    [InlineData("PowerUserAccess")]
    [InlineData("IAMFullAccess")]
    public void The_broadest_policies_are_found_with_a_confident_verdict(string name)
    {
        var verdicts = IamCorpus.Judge(IamCorpus.ManagedPolicies[name]);
        Assert.Contains(verdicts, v => v.Check is IamChecks.AdminWildcard or IamChecks.PrivilegeEscalation && v.Confident && !v.Lowered);
    }

    [Fact]
    public void AdministratorAccess_is_one_finding()
    {
        var verdict = Assert.Single(IamCorpus.Judge(IamCorpus.ManagedPolicies["AdministratorAccess"]));
        Assert.Equal(IamChecks.AdminWildcard, verdict.Check);
    }

    [Theory]
    [InlineData("ReadOnlyAccess")]
    [InlineData("ViewOnlyAccess")]
    [InlineData("SecurityAudit")]
    public void Read_only_job_functions_are_clean(string name) =>
        Assert.Empty(IamCorpus.Judge(IamCorpus.ManagedPolicies[name]));

    [Fact]
    public void Service_limited_PassRole_to_services_that_run_no_caller_code_is_never_planned_for_deletion()
    {
        var limited = 0;
        foreach (var (name, document) in IamCorpus.ManagedPolicies)
        {
            var parsed = PolicyDocument.FromText(document);
            var passRole = new EffectivePermissions([new PolicySource(name, parsed)]).GrantsOf("iam", "PassRole");
            var onlyToServicesWithoutCode = passRole.Count > 0 && passRole.All(g => g.Condition.PassedToServices is { } services
                && services.All(s => ConditionMeaning.RunsCallerCode(s) == false));
            if (!onlyToServicesWithoutCode)
            {
                continue;
            }

            limited++;
            var escalation = IamCorpus.Judge(document).Where(v => v.Check == IamChecks.PrivilegeEscalation).ToList();
            Assert.All(escalation, v => Assert.False(v.Confident, $"{name}: {v.Summary}"));
        }

        Assert.True(limited >= 20, $"only {limited} policies limit PassRole to services that run no caller code");
    }

    [Fact]
    public void Every_managed_policy_is_judged_without_error_and_the_escalation_finding_comes_once_per_policy()
    {
        foreach (var (name, document) in IamCorpus.ManagedPolicies)
        {
            var verdicts = IamCorpus.Judge(document);
            Assert.True(verdicts.Count(v => v.Check == IamChecks.PrivilegeEscalation) <= 1, name);
            Assert.DoesNotContain(verdicts, v => v.Check == IamChecks.UnparseableDocument);
        }
    }
}
