using Remediator.Detectors.Iam;

namespace Remediator.Detectors.Tests.Iam.Corpus;

/// <summary>
/// Every path of the escalation catalogue (Iam/Data/escalation-paths.tsv: pathfinding.cloud, cloudsplaining,
/// pacu) turned into policies: minimal with Resource "*", with ARN-pattern resources, split across documents (all must
/// be found), and with an explicit Deny (must not be found). Paths that cannot be found are listed with the reason.
/// </summary>
public sealed class EscalationCatalogCorpusTests
{
    /// <summary>Paths the judgement cannot find as written, and why. Empty today: every path is found.</summary>
    private static readonly Dictionary<string, string> ExplainedMisses = new(StringComparer.Ordinal);

    /// <summary>Catalogue actions the service authorization reference does not list, and why they stay in the catalogue.</summary>
    private static readonly Dictionary<string, string> ActionsOutsideTheReference = new(StringComparer.OrdinalIgnoreCase)
    {
        ["codestar:CreateProjectFromTemplate"] = "a console-only CodeStar action pacu checks; AWS's reference never listed it (CodeStar is retired)",
    };

    public static TheoryData<string> PathIds() => new(EscalationCatalog.Paths.Select(p => p.Id));

    private static EscalationPath PathOf(string id) => EscalationCatalog.Paths.Single(p => p.Id == id);

    private static string Statement(EscalationStep step, string resource) =>
        $$"""{"Effect":"Allow","Action":"{{step.FullName}}","Resource":"{{resource}}"}""";

    private static bool Found(EscalationPath path, params PolicySource[] sources) =>
        EscalationJudge.Find(new EffectivePermissions(sources), minimalOnly: false).Any(f => f.Path.Id == path.Id);

    private static PolicySource Source(string label, string statements) =>
        new(label, PolicyDocument.FromText(IamTestSupport.Policy(statements)));

    [Fact]
    public void The_catalogue_covers_the_three_public_catalogues_and_the_classes_issue_9_lists()
    {
        var paths = EscalationCatalog.Paths;
        Assert.True(paths.Count >= 75, $"{paths.Count} paths");
        Assert.Equal(paths.Count, paths.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(paths, p => Assert.StartsWith("https://", p.Reference, StringComparison.Ordinal));
        // 65 pathfinding.cloud paths, 59 cloudsplaining methods, pacu's user and role methods: each named at least once.
        Assert.Equal(65, paths.SelectMany(p => p.Sources).Count(s => s.StartsWith("pathfinding:", StringComparison.Ordinal)));
        Assert.Equal(59, paths.SelectMany(p => p.Sources).Where(s => s.StartsWith("cloudsplaining:", StringComparison.Ordinal)).Distinct().Count());
        foreach (var action in new[]
                 {
                     "ssm:SendCommand", "ssm:StartSession", "codebuild:StartBuild", "codebuild:StartBuildBatch", "glue:UpdateDevEndpoint",
                     "ec2:ModifyInstanceAttribute", "ec2:CreateLaunchTemplateVersion", "cloudformation:UpdateStack",
                     "cloudformation:ExecuteChangeSet", "ec2-instance-connect:SendSSHPublicKey", "sagemaker:CreatePresignedNotebookInstanceUrl",
                     "sagemaker:CreateNotebookInstanceLifecycleConfig", "ecs:ExecuteCommand", "apprunner:UpdateService",
                     "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
                 })
        {
            Assert.Contains(paths, p => p.Steps.Any(s => string.Equals(s.FullName, action, StringComparison.OrdinalIgnoreCase)));
        }
    }

    [Fact]
    public void Every_catalogue_action_is_in_the_service_authorization_reference_or_explained()
    {
        var missing = EscalationCatalog.Paths.SelectMany(p => p.Steps)
            .Where(s => ServiceAuthorizationReference.Find(s.Service, s.Action) is null)
            .Select(s => s.FullName).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(ActionsOutsideTheReference.Keys.Order(StringComparer.OrdinalIgnoreCase), missing.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void At_least_95_percent_of_the_paths_are_found_as_minimal_policies_and_every_miss_is_explained()
    {
        var misses = EscalationCatalog.Paths
            .Where(p => !Found(p, Source("minimal", string.Join(',', p.Steps.Select(s => Statement(s, "*"))))))
            .Select(p => p.Id).ToList();
        Assert.Equal(ExplainedMisses.Keys.Order(StringComparer.Ordinal), misses.Order(StringComparer.Ordinal));
        Assert.True(misses.Count <= EscalationCatalog.Paths.Count * 5 / 100, $"missed: {string.Join(", ", misses)}");
    }

    [Theory]
    [MemberData(nameof(PathIds))]
    public void A_path_is_found_with_resources_written_as_arn_patterns(string id)
    {
        var path = PathOf(id);
        var statements = path.Steps.Select((s, i) =>
            Statement(s, IamCorpus.ArnPatternFor(s.Service, s.Action, i % 2 == 0 ? null : IamTestSupport.Account)));
        Assert.True(Found(path, Source("patterns", string.Join(',', statements))), string.Join(',', statements));
    }

    [Theory]
    [MemberData(nameof(PathIds))]
    public void A_path_split_across_documents_is_found_and_the_judge_names_each_document(string id)
    {
        var path = PathOf(id);
        var sources = path.Steps.Select((s, i) => Source($"inline policy 'part{i}'", Statement(s, IamCorpus.ArnPatternFor(s.Service, s.Action, null)))).ToArray();
        Assert.True(Found(path, sources));
        var verdict = EscalationJudge.Judge(new EffectivePermissions(sources), sources[0]);
        Assert.NotNull(verdict);
        if (path.Steps.Count > 1 && verdict.Evidence.Any(l => l.StartsWith($"path {id}: ", StringComparison.Ordinal)))
        {
            Assert.Contains(verdict.Evidence, l => l.StartsWith("these documents together make the path(s): ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(PathIds))]
    public void A_path_under_an_explicit_deny_of_one_of_its_actions_is_not_found(string id)
    {
        var path = PathOf(id);
        var allow = string.Join(',', path.Steps.Select(s => Statement(s, "*")));
        var denied = path.Steps[0];
        var deny = $$"""{"Effect":"Deny","Action":"{{denied.FullName}}","Resource":"*"}""";
        Assert.False(Found(path, Source("denied", allow + "," + deny)));
        // In another document of the same principal, the Deny wins just the same.
        Assert.False(Found(path, Source("allow", allow), Source("boundary-like deny", deny)));
    }
}
