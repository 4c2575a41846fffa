using System.CommandLine;
using Remediator.Core.Rules;
using Remediator.Composition;

namespace Remediator.Cli.Commands;

/// <summary><c>remediator schema</c>: the JSON Schema of rule files, generated from the registry of detectors and actions.</summary>
public static class SchemaCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<FileInfo?>("--out")
        {
            Description = "Write the schema to this file instead of stdout (the repository keeps it at rules/schema/rules.schema.json).",
        };
        var command = new Command(
            "schema",
            "Print the JSON Schema (draft 2020-12) for rule files, generated from the built-in detectors and actions, " +
            "for editor completion and CI checks.\n" +
            "  remediator schema --out rules/schema/rules.schema.json")
        {
            output,
        };
        command.SetAction(parse => RunAsync(parse, stdout, stderr, output));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, Option<FileInfo?> output)
    {
        var schema = RuleSchema.Generate(BuiltInElements.CreateRegistry());
        var file = parse.GetValue(output);
        if (file is null)
        {
            await stdout.WriteAsync(schema).ConfigureAwait(false);
            return ExitCodes.Clean;
        }

        try
        {
            file.Directory?.Create();
            await File.WriteAllTextAsync(file.FullName, schema).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"remediator schema: cannot write {file.FullName}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        await stderr.WriteLineAsync($"wrote {file.FullName}").ConfigureAwait(false);
        return ExitCodes.Clean;
    }
}
