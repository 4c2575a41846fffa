namespace Remediator.Cli;

/// <summary>Exit codes, so that CI can gate on findings.</summary>
public static class ExitCodes
{
    /// <summary>Ran; nothing found.</summary>
    public const int Clean = 0;

    /// <summary>Ran; at least one finding.</summary>
    public const int Findings = 1;

    /// <summary>Bad input or usage.</summary>
    public const int BadInput = 2;

    /// <summary>apply and undo: at least one change failed or was only partly made (the audit trail says which).</summary>
    public const int RemediationFailed = 3;
}
