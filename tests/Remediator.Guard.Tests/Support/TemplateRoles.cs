namespace Remediator.Guard.Tests.Support;

/// <summary>
/// The Allow actions of a role's inline policies in serverless.template (no wildcard may stand in for a missing action):
/// what the permission tests compare the recorded calls with.
/// </summary>
internal static class TemplateRoles
{
    public static HashSet<string> GrantedActions(string role)
    {
        var template = JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot("serverless.template")))!;
        var actions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in template["Resources"]![role]!["Properties"]!["Policies"]!.AsArray())
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
