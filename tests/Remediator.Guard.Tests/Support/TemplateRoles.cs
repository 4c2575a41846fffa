namespace Remediator.Guard.Tests.Support;

/// <summary>
/// The Allow actions of a role's inline policies in serverless.template (no wildcard may stand in for a missing action):
/// what the permission tests compare the recorded calls with.
/// </summary>
internal static class TemplateRoles
{
    public static HashSet<string> GrantedActions(string role) => GrantedActions(role, "serverless.template");

    /// <param name="template">A template's path below the repository root, e.g. deploy/organization.template.</param>
    public static HashSet<string> GrantedActions(string role, string template) => GrantedActions(role, JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot(template.Split('/'))))!);

    /// <summary>Every role of a template (its logical ids).</summary>
    public static IReadOnlyList<string> Roles(string template) =>
        [.. JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot(template.Split('/'))))!["Resources"]!.AsObject()
            .Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::IAM::Role").Select(r => r.Key)];

    private static HashSet<string> GrantedActions(string role, JsonNode template)
    {
        var actions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in template["Resources"]![role]!["Properties"]!["Policies"]?.AsArray() ?? [])
        {
            foreach (var statement in policy!["PolicyDocument"]!["Statement"]!.AsArray())
            {
                if (statement!["Effect"]!.GetValue<string>() != "Allow")
                {
                    continue;
                }

                var action = statement["Action"]!;
                foreach (var name in action is JsonArray list ? list.Select(a => a!.GetValue<string>()) : [action.GetValue<string>()])
                {
                    actions.Add(name);
                }
            }
        }

        return actions;
    }
}
