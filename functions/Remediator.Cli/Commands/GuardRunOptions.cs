using System.CommandLine;
using Remediator.Aws.State;
using Remediator.Aws.Transport;
using Remediator.Core.Audit;
using Remediator.Core.Engine;
using Remediator.Core.Rules;

namespace Remediator.Cli.Commands;

/// <summary>
/// What the commands that run the guard against AWS (<c>apply</c>, <c>redrive</c>, <c>sweep</c>) share: the rules,
/// the mode override, the output format, the guard's own principals and the AWS options, and the set-up each run
/// starts with. Each command adds the options to its command line in its own order (the help text pins it) and
/// says what <c>--mode</c> and <c>--format</c> mean for it.
/// </summary>
internal sealed class GuardRunOptions(string name, string modeDescription, string formatDescription)
{
    public Option<string[]> Rules { get; } = ReplayCommand.RulesOption();

    public Option<string?> Mode { get; } = Choice<string?>("--mode", modeDescription, null, "enforce", "dry-run");

    public Option<string> Format { get; } = Choice("--format", formatDescription, "table", "table", "json");

    public Option<string[]> Own { get; } = ReplayCommand.OwnPrincipalOption();

    public AwsCommandOptions Aws { get; } = new();

    public RuleMode? ModeOverride(ParseResult parse) =>
        parse.GetValue(Mode) switch { "enforce" => RuleMode.Enforce, "dry-run" => RuleMode.DryRun, _ => null };

    public bool Json(ParseResult parse) => parse.GetValue(Format) == "json";

    /// <summary>The rules, or null once their errors are written.</summary>
    public Task<LoadedRules?> RulesAsync(ParseResult parse, TextWriter stderr) => RuleSources.LoadValidAsync(parse.GetValue(Rules), stderr);

    /// <summary>
    /// The clients (with the assumed role's session when <c>--role-arn</c> is given), the audit store and the guard's
    /// options. A bad option, or a role that cannot be assumed, throws what <see cref="IsBadInput"/> recognises.
    /// </summary>
    public async Task<GuardRun> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var clientOptions = Aws.ClientOptions(parse);
        var settings = await Aws.SettingsAsync(parse, clientOptions, cancellationToken).ConfigureAwait(false);
        var clients = new AwsClients(clientOptions, settings);
        try
        {
            var store = Aws.Store(parse, () => clientOptions);
            var options = new GuardOptions { OwnPrincipals = parse.GetValue(Own) ?? [], ModeOverride = ModeOverride(parse) }.Validated();
            return new GuardRun(clientOptions, settings, clients, store, options);
        }
        catch
        {
            clients.Dispose();
            throw;
        }
    }

    /// <summary>A set-up failure that is the caller's input (a bad option, a role that cannot be assumed): exit 2.</summary>
    public static bool IsBadInput(Exception e) => e is ArgumentException or Amazon.Runtime.AmazonServiceException;

    /// <summary>Says what was wrong with the input, as <c>remediator NAME: message</c>, and gives the exit code for it.</summary>
    public async Task<int> BadInputAsync(TextWriter stderr, Exception e)
    {
        await stderr.WriteLineAsync($"remediator {name}: {e.Message}").ConfigureAwait(false);
        return ExitCodes.BadInput;
    }

    private static Option<T> Choice<T>(string option, string description, T fallback, params string[] values)
    {
        var choice = new Option<T>(option) { Description = description };
        if (fallback is not null)
        {
            choice.DefaultValueFactory = _ => fallback;
        }

        choice.AcceptOnlyFromAmong(values);
        return choice;
    }
}

/// <summary>One run's clients, audit store and guard options; disposing it disposes the clients.</summary>
internal sealed record GuardRun(AwsClientOptions ClientOptions, AwsTransportSettings Settings, AwsClients Clients, IAuditStore Store, GuardOptions Options) : IDisposable
{
    public void Dispose() => Clients.Dispose();
}
