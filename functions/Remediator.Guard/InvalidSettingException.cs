using Remediator.Runtime;

namespace Remediator.Guard;

/// <summary>
/// A guard's environment variable is missing or wrong. Thrown during init, so Lambda reports it as the function's
/// init error under its own error type: a misconfigured deployment fails loudly before it sees any event.
/// </summary>
public sealed class InvalidSettingException : FunctionErrorException
{
    public const string ErrorTypeName = "Remediator.InvalidSetting";

    public InvalidSettingException(string variable, string message)
        : base(ErrorTypeName, $"{variable}: {message}")
    {
        Variable = variable;
    }

    /// <summary>The environment variable at fault.</summary>
    public string Variable { get; }
}
