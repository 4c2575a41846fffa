using Remediator.Core.Events;

namespace Remediator.Cli.Output;

/// <summary>
/// A one-line progress bar on standard error, drawn only when standard error is a terminal and the input is large
/// (redirected output in CI and pipes stays clean). Redraws at most every 200 ms; reports arrive on the reading thread.
/// </summary>
public sealed class ProgressBar : IProgress<ReadProgress>, IDisposable
{
    /// <summary>Inputs smaller than this finish before a bar would help.</summary>
    public const long LargeInputBytes = 32L * 1024 * 1024;

    private const int Width = 30;
    private readonly TextWriter _terminal;
    private long _lastDraw;
    private bool _drawn;

    private ProgressBar(TextWriter terminal) => _terminal = terminal;

    /// <summary>Events processed so far, shown next to the bytes.</summary>
    public long Events { get; set; }

    /// <summary>A bar when standard error is a terminal, else null.</summary>
    public static ProgressBar? ForTerminal(TextWriter stderr) =>
        ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected ? new ProgressBar(stderr) : null;

    public void Report(ReadProgress value)
    {
        var now = Environment.TickCount64;
        if (value.TotalBytes is not { } total || total < LargeInputBytes || now - _lastDraw < 200)
        {
            return;
        }

        _lastDraw = now;
        var fraction = Math.Clamp((double)value.BytesRead / total, 0, 1);
        var filled = (int)(fraction * Width);
        _terminal.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {fraction,4:P0}  {value.BytesRead >> 20}/{total >> 20} MB  {Events} events ");
        _drawn = true;
    }

    public void Dispose()
    {
        if (_drawn)
        {
            _terminal.Write("\r" + new string(' ', Width + 60) + "\r");
        }
    }
}
