namespace Remediator.Runtime.Metrics;

/// <summary>Where metrics go in CloudWatch: one namespace and the dimension values every metric of this function carries.</summary>
public sealed record MetricsOptions
{
    public const string DefaultNamespace = "Remediator";
    public const string FunctionDimension = "Function";
    public const string ConcernDimension = "Concern";

    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary>Value of the <c>Function</c> dimension; the host sets it from <c>AWS_LAMBDA_FUNCTION_NAME</c>.</summary>
    public required string FunctionName { get; init; }

    /// <summary>Value of the <c>Concern</c> dimension (e.g. <c>iam</c>); without one, metrics carry only <c>Function</c>.</summary>
    public string? Concern { get; init; }

    public MetricsOptions Validated()
    {
        // CloudWatch refuses empty names and values and anything over 255 characters; fail at load, not silently per line.
        RequireName(Namespace, nameof(Namespace));
        RequireName(FunctionName, nameof(FunctionName));
        if (Concern is not null)
        {
            RequireName(Concern, nameof(Concern));
        }

        return this;
    }

    internal static void RequireName(string value, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 255)
        {
            throw new ArgumentException($"{what} must be 1 to 255 characters, got '{value}'.");
        }
    }
}
