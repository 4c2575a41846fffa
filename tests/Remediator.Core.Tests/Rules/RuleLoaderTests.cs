namespace Remediator.Core.Tests.Rules;

public sealed class RuleLoaderTests
{
    private const string File = "rules/test.yaml";

    // Line numbers matter: tests replace one line by one line so that positions stay put.
    internal const string Valid = """
        id: iam-admin-wildcard
        description: Allow * on *
        concern: iam-broad-permissions
        severity: critical
        mode: dry-run
        match:
          source: [aws.iam]
          detail:
            errorCode: [{exists: false}]
        detect:
          fake-iam:
            checks: [admin-wildcard, service-wildcard]
            overrides: {fn-a: 30}
        exempt:
          tag: remediator:exempt
          principals: ["arn:aws:iam::*:role/break-glass*"]
          accounts: ["123456789012"]
        remediate:
          - revert: {}
          - tag: {key: remediator:finding, value: "{rule}/{eventId}"}
          - notify:
        """;

    private const string TimeoutRule = """
        id: lambda-timeout
        description: Functions must not wait long
        concern: missing-timeout
        severity: medium
        mode: enforce
        match: {source: [aws.lambda]}
        detect:
          fake-timeout:
            maximumSeconds: 30
            targetSeconds: 20
        remediate:
          - revert:
        """;

    private static RuleSet Load(string yaml) =>
        new RuleLoader(TestRegistry.Create(), new FakePatternValidator()).LoadText(yaml, File);

    private static string Replace(string yaml, string line, string replacement)
    {
        Assert.Contains(line, yaml);
        return yaml.Replace(line, replacement);
    }

    /// <summary>The errors of a file expected to have exactly one.</summary>
    private static string OnlyError(string yaml)
    {
        var set = Load(yaml);
        Assert.False(set.IsValid);
        return Assert.Single(set.Errors).ToString();
    }

    [Fact]
    public void A_valid_rule_loads_with_every_field_and_option_defaults()
    {
        var set = Load(Valid);

        Assert.True(set.IsValid, string.Join("\n", set.Errors));
        var rule = Assert.Single(set.Rules);
        Assert.Equal("iam-admin-wildcard", rule.Id);
        Assert.Equal("Allow * on *", rule.Description);
        Assert.Equal(Concerns.IamBroadPermissions, rule.Concern);
        Assert.Equal(Severity.Critical, rule.Severity);
        Assert.Equal(RuleMode.DryRun, rule.Mode);
        Assert.Equal("""{"source":["aws.iam"],"detail":{"errorCode":[{"exists":false}]}}""", rule.Match.GetRawText());
        Assert.Equal(new SourceLocation(File, 1, 1), rule.Location);

        Assert.Equal("fake-iam", rule.Detect.Descriptor.Name);
        var options = Assert.IsType<FakeIamOptions>(rule.Detect.Options);
        Assert.Equal(["admin-wildcard", "service-wildcard"], options.Checks);
        Assert.Equal(10L, options.MaxAge);
        Assert.False(options.Strict);
        Assert.Null(options.OrganizationId);
        Assert.Equal(30L, options.Overrides["fn-a"]);

        Assert.Equal("remediator:exempt", rule.Exempt.Tag);
        Assert.Equal(["arn:aws:iam::*:role/break-glass*"], rule.Exempt.Principals);
        Assert.Equal(["123456789012"], rule.Exempt.Accounts);
        Assert.Empty(rule.Exempt.Resources);
        Assert.Empty(rule.Exempt.Regions);

        Assert.Equal(["revert", "tag", "notify"], rule.Remediate.Select(a => a.Descriptor.Name));
        var tag = Assert.IsType<FakeActionOptions>(rule.Remediate[1].Options).Values;
        Assert.Equal("remediator:finding", tag.GetString("key"));
        Assert.Equal("{rule}/{eventId}", tag.GetString("value"));
        var notify = Assert.IsType<FakeActionOptions>(rule.Remediate[2].Options).Values;
        Assert.Equal("slack", notify.GetString("channel"));
    }

    [Fact]
    public void Detector_options_left_out_get_their_defaults()
    {
        var yaml = Replace(Replace(Valid, "    checks: [admin-wildcard, service-wildcard]", "    strict: true"), "    overrides: {fn-a: 30}", "    maxAge: 100");

        var rule = Assert.Single(Load(yaml).Rules);

        var options = Assert.IsType<FakeIamOptions>(rule.Detect.Options);
        Assert.Equal(["admin-wildcard"], options.Checks);
        Assert.True(options.Strict);
        Assert.Equal(100L, options.MaxAge);
        Assert.Empty(options.Overrides);
    }

    [Fact]
    public void Exempt_and_enforce_mode_are_read_and_exempt_is_optional()
    {
        var rule = Assert.Single(Load(TimeoutRule).Rules);

        Assert.Equal(RuleMode.Enforce, rule.Mode);
        Assert.Same(Exemptions.None, rule.Exempt);
        Assert.Equal(new FakeTimeoutOptions(30, 20), rule.Detect.Options);
    }

    [Fact]
    public void Several_rules_under_rules_key_load_in_order_and_errors_name_the_item()
    {
        var yaml = "rules:\n" + Indent(Valid) + "\n" + Indent(Replace(TimeoutRule, "    maximumSeconds: 30", "    maximumSeconds: 0"));

        var set = Load(yaml);

        Assert.Equal(["iam-admin-wildcard"], set.Rules.Select(r => r.Id));
        Assert.Equal("rules/test.yaml:31:25: rules[1].detect.fake-timeout.maximumSeconds: 0 is below the minimum 1", Assert.Single(set.Errors).ToString());
    }

    [Fact]
    public void Several_yaml_documents_in_one_file_are_all_read()
    {
        var set = Load(Valid + "\n---\n" + TimeoutRule);

        Assert.True(set.IsValid, string.Join("\n", set.Errors));
        Assert.Equal(["iam-admin-wildcard", "lambda-timeout"], set.Rules.Select(r => r.Id));
        Assert.Equal(23, set.Rules[1].Location.Line);
    }

    [Fact]
    public void A_value_outside_allowed_values_names_file_line_column_and_path() =>
        Assert.Equal(
            "rules/test.yaml:12:30: detect.fake-iam.checks[1]: 'admin' is not one of admin-wildcard, service-wildcard",
            OnlyError(Replace(Valid, "checks: [admin-wildcard, service-wildcard]", "checks: [admin-wildcard, admin]")));

    [Fact]
    public void A_single_scalar_where_a_list_is_expected_is_an_error() =>
        Assert.Equal(
            "rules/test.yaml:12:13: detect.fake-iam.checks: expected a list, got the single value 'admin-wildcard' (write [admin-wildcard])",
            OnlyError(Replace(Valid, "checks: [admin-wildcard, service-wildcard]", "checks: admin-wildcard")));

    [Fact]
    public void An_unknown_detector_option_is_an_error_with_the_closest_name() =>
        Assert.Equal(
            "rules/test.yaml:12:5: detect.fake-iam.check: unknown key 'check'; did you mean 'checks'? known: checks, organizationId, speed, maxAge, strict, overrides",
            OnlyError(Replace(Valid, "checks: [admin-wildcard, service-wildcard]", "check: [admin-wildcard]")));

    [Theory]
    [InlineData("maxAge: 0", "rules/test.yaml:13:13: detect.fake-iam.maxAge: 0 is below the minimum 1")]
    [InlineData("maxAge: 101", "rules/test.yaml:13:13: detect.fake-iam.maxAge: 101 is above the maximum 100")]
    [InlineData("maxAge: \"5\"", "rules/test.yaml:13:13: detect.fake-iam.maxAge: expected a whole number, got the string '5' (remove the quotes)")]
    [InlineData("maxAge: 1.5", "rules/test.yaml:13:13: detect.fake-iam.maxAge: expected a whole number, got '1.5'")]
    [InlineData("maxAge: [1]", "rules/test.yaml:13:13: detect.fake-iam.maxAge: expected a whole number, got a list")]
    [InlineData("strict: \"true\"", "rules/test.yaml:13:13: detect.fake-iam.strict: expected true or false, got the string 'true' (remove the quotes)")]
    [InlineData("strict: yes", "rules/test.yaml:13:13: detect.fake-iam.strict: expected true or false, got 'yes'")]
    [InlineData("speed: slowest", "rules/test.yaml:13:12: detect.fake-iam.speed: 'slowest' is not one of fast, slow")]
    [InlineData("speed: fsat", "rules/test.yaml:13:12: detect.fake-iam.speed: 'fsat' is not one of fast, slow; did you mean 'fast'?")]
    [InlineData("organizationId: {id: o-1}", "rules/test.yaml:13:21: detect.fake-iam.organizationId: expected a string, got a mapping")]
    [InlineData("overrides: {fn-a: 901}", "rules/test.yaml:13:23: detect.fake-iam.overrides.fn-a: 901 is above the maximum 900")]
    [InlineData("overrides: {fn-a: \"30\"}", "rules/test.yaml:13:23: detect.fake-iam.overrides.fn-a: expected a whole number, got the string '30' (remove the quotes)")]
    [InlineData("overrides: [fn-a]", "rules/test.yaml:13:16: detect.fake-iam.overrides: expected a mapping, got a list")]
    public void Option_values_are_checked_against_kind_range_and_allowed_values(string line, string expected) =>
        Assert.Equal(expected, OnlyError(Replace(Valid, "    overrides: {fn-a: 30}", "    " + line)));

    [Fact]
    public void An_unknown_detector_suggests_the_closest_and_lists_the_known_ones() =>
        Assert.Equal(
            "rules/test.yaml:11:3: detect.fake-iamm: no detector named 'fake-iamm'; did you mean 'fake-iam'? known: fake-iam, fake-timeout",
            OnlyError(Replace(Valid, "  fake-iam:", "  fake-iamm:")));

    [Fact]
    public void A_detector_of_another_concern_is_an_error() =>
        Assert.Equal(
            "rules/test.yaml:11:3: detect.fake-iam: detector 'fake-iam' serves concern 'iam-broad-permissions', but the rule's concern is 'missing-timeout'",
            OnlyError(Replace(Valid, "concern: iam-broad-permissions", "concern: missing-timeout")));

    [Fact]
    public void Detect_must_name_exactly_one_detector()
    {
        var yaml = Replace(TimeoutRule, "    targetSeconds: 20", "  fake-iam: {}");

        Assert.Equal("rules/test.yaml:10:3: detect.fake-iam: only one detector per entry; 'fake-timeout' is already named", OnlyError(yaml));
    }

    [Fact]
    public void An_unknown_action_suggests_the_closest() =>
        Assert.Equal(
            "rules/test.yaml:19:5: remediate[0].revrt: no action named 'revrt'; did you mean 'revert'? known: revert, tag, notify",
            OnlyError(Replace(Valid, "  - revert: {}", "  - revrt: {}")));

    [Fact]
    public void A_missing_required_action_option_is_reported_at_the_options() =>
        Assert.Equal(
            "rules/test.yaml:20:10: remediate[1].tag: missing required option 'key' (Tag key.)",
            OnlyError(Replace(Valid, """  - tag: {key: remediator:finding, value: "{rule}/{eventId}"}""", "  - tag: {value: x}")));

    [Fact]
    public void An_unknown_action_option_is_an_error() =>
        Assert.Equal(
            "rules/test.yaml:21:14: remediate[2].notify.chanel: unknown key 'chanel'; did you mean 'channel'? known: channel",
            OnlyError(Replace(Valid, "  - notify:", "  - notify: {chanel: slack}")));

    [Fact]
    public void An_action_written_as_a_bare_name_is_an_error() =>
        Assert.Equal(
            "rules/test.yaml:19:5: remediate[0]: expected 'revert: {}' (remediate[0] is one action name mapped to its options, e.g. 'revert: {}'), got a bare name",
            OnlyError(Replace(Valid, "  - revert: {}", "  - revert")));

    [Fact]
    public void Options_on_an_action_without_options_are_unknown_keys() =>
        Assert.Equal(
            "rules/test.yaml:19:14: remediate[0].revert.force: unknown key 'force'; none are known",
            OnlyError(Replace(Valid, "  - revert: {}", "  - revert: {force: true}")));

    [Fact]
    public void An_empty_remediate_list_is_an_error() =>
        Assert.Equal(
            "rules/test.yaml:11:12: remediate: at least one action is needed (e.g. '- notify: {channel: slack}')",
            OnlyError(Replace(TimeoutRule, "remediate:\n  - revert:", "remediate: []")));

    [Fact]
    public void An_argument_exception_from_binding_is_an_error_at_the_options() =>
        Assert.Equal(
            "rules/test.yaml:9:5: detect.fake-timeout: targetSeconds (60) must not exceed maximumSeconds (30)",
            OnlyError(Replace(TimeoutRule, "targetSeconds: 20", "targetSeconds: 60")));

    [Fact]
    public void An_invalid_pattern_is_reported_at_the_match_key_with_the_path_inside_the_pattern() =>
        Assert.Equal(
            "rules/test.yaml:6:1: match: invalid event pattern: detail.errorCode[0]: unknown operator 'exist'",
            OnlyError(Replace(Valid, "errorCode: [{exists: false}]", "errorCode: [{exist: false}]")));

    [Fact]
    public void A_match_that_is_not_a_mapping_is_an_error() =>
        Assert.Equal(
            "rules/test.yaml:6:8: match: expected a mapping, got a list",
            OnlyError(Replace(TimeoutRule, "match: {source: [aws.lambda]}", "match: [aws.lambda]")));

    [Theory]
    [InlineData("concern: iam", 3, 10, "concern: 'iam' is not one of iam-broad-permissions, public-event-bus, missing-timeout, unencrypted-table")]
    [InlineData("severity: severe", 4, 11, "severity: 'severe' is not one of info, low, medium, high, critical")]
    [InlineData("mode: enforced", 5, 7, "mode: 'enforced' is not one of enforce, dry-run, approve; did you mean 'enforce'?")]
    [InlineData("id: IAM-Admin", 1, 5, "id: 'IAM-Admin' is not a valid id: 3 to 64 characters, lower-case letters, digits and '-', not starting with '-'")]
    [InlineData("id: [a, b]", 1, 5, "id: expected a string, got a list")]
    [InlineData("description:", 2, 13, "description: expected a string, got null")]
    public void Top_level_values_are_checked(string line, int lineNumber, int column, string expected)
    {
        var key = line[..line.IndexOf(':', StringComparison.Ordinal)];
        var original = Valid.Split('\n').Single(l => l.StartsWith(key + ":", StringComparison.Ordinal));

        Assert.Equal($"{File}:{lineNumber}:{column}: {expected}", OnlyError(Replace(Valid, original, line)));
    }

    [Fact]
    public void A_misspelt_key_and_the_missing_required_key_are_both_reported_in_line_order()
    {
        var set = Load(Replace(Valid, "severity: critical", "sevrity: critical"));

        Assert.Equal(
            [
                "rules/test.yaml:1:1: severity: required key is missing (info, low, medium, high, critical)",
                "rules/test.yaml:4:1: sevrity: unknown key 'sevrity'; did you mean 'severity'? known: id, description, concern, severity, mode, match, detect, exempt, remediate, approval",
            ],
            set.Errors.Select(e => e.ToString()));
        Assert.Empty(set.Rules);
    }

    [Fact]
    public void Exemptions_are_checked()
    {
        var yaml = Replace(Replace(Valid, "  tag: remediator:exempt", "  tags: remediator:exempt"), """  accounts: ["123456789012"]""", "  accounts: [12345, 012345678901]");

        Assert.Equal(
            [
                "rules/test.yaml:15:3: exempt.tags: unknown key 'tags'; did you mean 'tag'? known: tag, principals, resources, accounts, regions, guardRoles",
                "rules/test.yaml:17:14: exempt.accounts[0]: '12345' is not a 12-digit account id",
            ],
            Load(yaml).Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_duplicate_key_is_an_error_naming_the_first()
    {
        var set = Load(Replace(Valid, "description: Allow * on *", "id: other-id"));

        Assert.Equal(
            [
                "rules/test.yaml:1:1: description: required key is missing (what the rule guards against)",
                "rules/test.yaml:2:1: id: duplicate key 'id' (first at 1:1)",
            ],
            set.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_duplicate_key_inside_options_is_an_error_with_its_path() =>
        Assert.Equal(
            "rules/test.yaml:13:5: detect.fake-iam.checks: duplicate key 'checks' (first at 12:5)",
            OnlyError(Replace(Valid, "    overrides: {fn-a: 30}", "    checks: []")));

    [Fact]
    public void A_yaml_syntax_error_has_its_position() =>
        Assert.Equal(
            "rules/test.yaml:2:19: YAML syntax error: While scanning a plain scalar value, found invalid mapping.",
            OnlyError(Replace(Valid, "description: Allow * on *", "description: Allow: * on *")));

    [Fact]
    public void An_unclosed_flow_list_is_a_syntax_error_not_a_crash()
    {
        var error = Assert.Single(Load(Replace(Valid, "  source: [aws.iam]", "  source: [aws.iam")).Errors);

        Assert.Equal(File, error.Location.File);
        Assert.InRange(error.Location.Line, 7, 9);
        Assert.StartsWith("YAML syntax error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_tag_other_than_str_is_an_error() =>
        Assert.Equal(
            "rules/test.yaml:2:14: description: YAML tag '!Sub' is not supported in rule files",
            OnlyError(Replace(Valid, "description: Allow * on *", "description: !Sub Allow")));

    [Theory]
    [InlineData("", "rules/test.yaml:1:1: the file holds no rule")]
    [InlineData("- id: x", "rules/test.yaml:1:1: a rule file holds one rule (a mapping) or 'rules:' with a list of rules, not a list")]
    [InlineData("rules: {id: x}", "rules/test.yaml:1:8: rules: expected a list of rules, got a mapping")]
    public void A_file_must_hold_a_rule_or_a_rules_list(string yaml, string expected) =>
        Assert.Equal(expected, OnlyError(yaml));

    [Fact]
    public void All_errors_of_all_files_are_collected_in_file_then_line_order()
    {
        using var directory = new TempDirectory();
        var second = directory.Write("b.yaml", Replace(Replace(Valid, "  - revert: {}", "  - revrt: {}"), "mode: dry-run", "mode: on"));
        var first = directory.Write("a.yaml", Replace(TimeoutRule, "severity: medium", "severity: urgent"));

        var set = new RuleLoader(TestRegistry.Create(), new FakePatternValidator()).LoadPaths([directory.Path]);

        Assert.Equal(
            [(first, 4), (second, 5), (second, 19)],
            set.Errors.Select(e => (e.Location.File, e.Location.Line)));
        Assert.Empty(set.Rules);
    }

    [Fact]
    public void Duplicate_ids_across_files_name_both_places_and_only_the_first_rule_is_kept()
    {
        using var directory = new TempDirectory();
        var first = directory.Write("a.yaml", Valid);
        var second = directory.Write("nested/b.yml", Valid);

        var set = new RuleLoader(TestRegistry.Create(), new FakePatternValidator()).LoadPaths([directory.Path]);

        Assert.Equal($"{second}:1:1: id: duplicate id 'iam-admin-wildcard'; also defined at {first}:1:1", Assert.Single(set.Errors).ToString());
        Assert.Equal(first, Assert.Single(set.Rules).Location.File);
    }

    [Fact]
    public void Directories_are_searched_for_yaml_files_only_and_schema_folders_are_skipped()
    {
        using var directory = new TempDirectory();
        directory.Write("timeouts.yaml", TimeoutRule);
        directory.Write("schema/rules.schema.yaml", "not: a rule");
        directory.Write("README.md", "# not a rule");

        var set = new RuleLoader(TestRegistry.Create(), new FakePatternValidator()).LoadPaths([directory.Path]);

        Assert.True(set.IsValid, string.Join("\n", set.Errors));
        Assert.Equal(["lambda-timeout"], set.Rules.Select(r => r.Id));
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var set = new RuleLoader(TestRegistry.Create(), new FakePatternValidator()).LoadPaths(["does-not-exist.yaml"]);

        var error = Assert.Single(set.Errors);
        Assert.Equal(new SourceLocation("does-not-exist.yaml", 1, 1), error.Location);
        Assert.StartsWith("cannot read the file", error.Message, StringComparison.Ordinal);
    }

    private static string Indent(string rule) =>
        string.Join("\n", rule.Split('\n').Select((line, i) => (i == 0 ? "  - " : "    ") + line));

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("remediator-rules-").FullName;

        public string Write(string relative, string text)
        {
            var path = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllText(path, text);
            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
