using Remediator.Core.Sweep;

namespace Remediator.Cli.Output;

/// <summary>
/// The sweep's progress on standard error when it is a terminal: resources judged so far per concern, findings and
/// failures (a sweep does not know its total until it has listed everything, so it counts rather than fills a bar).
/// </summary>
public sealed class SweepProgress : IDisposable
{
    private readonly TextWriter _terminal;
    private long _lastDraw;
    private bool _drawn;
    private int _resources;
    private int _findings;
    private int _failed;

    private SweepProgress(TextWriter terminal) => _terminal = terminal;

    public static SweepProgress? ForTerminal(TextWriter stderr) =>
        ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected ? new SweepProgress(stderr) : null;

    /// <summary>Called under the caller's output lock.</summary>
    public void Report(SweepResourceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _resources++;
        _findings += result.Findings.Count;
        _failed += result.Error is null ? 0 : 1;
        var now = Environment.TickCount64;
        if (now - _lastDraw < 200)
        {
            return;
        }

        _lastDraw = now;
        _terminal.Write($"\r[sweep {result.Concern,-22}] {_resources} resources, {_findings} findings, {_failed} failed ");
        _drawn = true;
    }

    public void Dispose()
    {
        if (_drawn)
        {
            _terminal.Write("\r" + new string(' ', 90) + "\r");
        }
    }
}
