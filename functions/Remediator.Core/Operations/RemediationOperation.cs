using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Remediator.Core.Audit;
using Remediator.Core.Remediation;

namespace Remediator.Core.Operations;

/// <summary>
/// One remediation operation (one AWS API call, e.g. <c>iam:DeleteRolePolicy</c>) as ONE typed entry: its name as
/// audit records carry it, its parameters as a record, the IAM permissions it needs to run and to read its
/// before-state, and its inverse (or, said explicitly, none). Planners build steps through the entry, undo asks the
/// entry for the inverse, the template test checks the entry's permissions (see <see cref="OperationIndex"/>). Pure:
/// the concrete entries, each one file with its AWS execution, live in Remediator.Operations.
/// </summary>
public abstract class RemediationOperation
{
    protected RemediationOperation(string name, IReadOnlyList<string> permissions, IReadOnlyList<string> readPermissions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Permissions = permissions;
        ReadPermissions = readPermissions;
    }

    /// <summary><c>service:Operation</c> as <see cref="AuditAction.Operation"/> records it.</summary>
    public string Name { get; }

    /// <summary>IAM actions the changing call needs (what a guard's role must grant to carry it out).</summary>
    public IReadOnlyList<string> Permissions { get; }

    /// <summary>IAM actions the executor needs to read the before-state and verify the change.</summary>
    public IReadOnlyList<string> ReadPermissions { get; }

    /// <summary>
    /// True when the call writes a whole access document that the step carries (an inline or trust policy, an event
    /// bus policy): it can widen access as easily as narrow it. The always-on guards do not hold its permission; where
    /// their exact revert would be such a write they contain instead, and the approval worker writes the document
    /// after a person decides.
    /// </summary>
    public bool WritesDocument { get; protected init; }

    /// <summary>The parameter record's type (for messages and the catalogue test).</summary>
    public abstract Type ParametersType { get; }

    /// <summary>
    /// Whether a step's parameters belong to this entry. Only entries that share a <see cref="Name"/> (REST and HTTP
    /// API calls of API Gateway, which AWS names alike) override it: they tell their parameters apart by member name.
    /// </summary>
    public virtual bool Recognises(JsonObject parameters) => true;

    /// <summary>Reads a step's parameters into the record; false with the reason when they do not say what to do.</summary>
    public abstract bool TryReadParameters(JsonObject parameters, out string? error);

    /// <summary>The inverse of a done step, from its parameters and its recorded before-state.</summary>
    public abstract Inversion Inverse(AuditAction done);

    /// <summary>
    /// A planned step from parameters already in their stored form (a test's fault plan, a decision replayed from the
    /// ledger): read and validated through the entry's record, so a step that could not run is never planned.
    /// </summary>
    /// <exception cref="OperationParameterException">The parameters do not say what the call needs.</exception>
    public abstract PlannedAction PlanFrom(string action, string resource, string description, JsonObject parameters);

    public override string ToString() => Name;
}

/// <summary>An operation whose parameters are the record <typeparamref name="TParameters"/>.</summary>
public abstract class RemediationOperation<TParameters> : RemediationOperation
    where TParameters : class
{
    protected RemediationOperation(string name, IReadOnlyList<string> permissions, IReadOnlyList<string> readPermissions)
        : base(name, permissions, readPermissions)
    {
    }

    public sealed override Type ParametersType => typeof(TParameters);

    /// <summary>Source-generated JSON of the record: its member names are the API's own, as records store them.</summary>
    protected abstract JsonTypeInfo<TParameters> Json { get; }

    /// <summary>The record from a step's parameters, checked to say everything the call needs.</summary>
    /// <exception cref="OperationParameterException">A required parameter is missing or has the wrong shape.</exception>
    public TParameters Read(JsonObject parameters)
    {
        var read = ReadLeniently(parameters);
        return Validate(read) is { } problem ? throw new OperationParameterException(problem) : read;
    }

    /// <summary>
    /// The record as stored, members that are missing left null (undo reads what a done step recorded; it needs the
    /// target, not everything the call needed).
    /// </summary>
    /// <exception cref="OperationParameterException">The parameters have the wrong shape.</exception>
    public TParameters ReadLeniently(JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        try
        {
            return parameters.Deserialize(Json) ?? throw new OperationParameterException("no parameters");
        }
        catch (JsonException ex)
        {
            throw new OperationParameterException($"the parameters do not fit {typeof(TParameters).Name}: {ex.Message}");
        }
    }

    public sealed override bool TryReadParameters(JsonObject parameters, out string? error)
    {
        try
        {
            Read(parameters);
            error = null;
            return true;
        }
        catch (OperationParameterException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>The parameters as the step stores them.</summary>
    public JsonObject Write(TParameters parameters) =>
        JsonSerializer.SerializeToNode(parameters, Json) as JsonObject ?? throw new InvalidOperationException($"{Name}: parameters must serialise to an object");

    /// <summary>A planned step of this operation, with the permissions it needs.</summary>
    public PlannedAction Plan(string action, string resource, string description, TParameters parameters) =>
        new(action, Name, resource, description) { Parameters = Write(parameters), Permissions = PermissionsOf(parameters) };

    public sealed override PlannedAction PlanFrom(string action, string resource, string description, JsonObject parameters) =>
        Plan(action, resource, description, Read(parameters));

    /// <summary>An undo step of this operation (planned, for the undo record).</summary>
    public AuditAction UndoStep(AuditAction done, string description, TParameters parameters) =>
        new()
        {
            Action = done.Action,
            Operation = Name,
            Resource = done.Resource,
            Description = "Undo: " + description,
            Parameters = Write(parameters),
        };

    public sealed override Inversion Inverse(AuditAction done)
    {
        ArgumentNullException.ThrowIfNull(done);
        TParameters parameters;
        try
        {
            parameters = ReadLeniently(done.Parameters);
        }
        catch (OperationParameterException ex)
        {
            return Inversion.Unknown("its parameters cannot be read: " + ex.Message);
        }

        return Invert(done, parameters);
    }

    /// <summary>The permissions one step needs; most operations need the same whatever their parameters.</summary>
    protected virtual IReadOnlyList<string> PermissionsOf(TParameters parameters) => Permissions;

    /// <summary>Why the parameters cannot be carried out (a required member empty), else null.</summary>
    protected virtual string? Validate(TParameters parameters) => null;

    protected abstract Inversion Invert(AuditAction done, TParameters parameters);

    /// <summary>"parameter 'X' is missing" for each required text that is null or empty, else null.</summary>
    protected static string? Required(params (string Name, string? Value)[] members) =>
        members.FirstOrDefault(m => string.IsNullOrEmpty(m.Value)) is { Name: { } missing } ? $"parameter '{missing}' is missing" : null;
}

/// <summary>
/// What undoing one done step takes: the inverse steps, or nothing (the step changed nothing, or another step's inverse
/// covers it), or a gap (the before-state was not recorded, or the operation has no inverse).
/// </summary>
public sealed record Inversion(IReadOnlyList<AuditAction> Steps, string? Gap)
{
    /// <summary>Nothing to undo: the step changed nothing, or another step's inverse covers it.</summary>
    public static Inversion NothingToUndo { get; } = new([], null);

    public static Inversion Of(params AuditAction[] steps) => new(steps, null);

    public static Inversion Unknown(string gap) => new([], gap);

    /// <summary>The operation has no inverse at all, said explicitly.</summary>
    public static Inversion None(string why) => new([], "no inverse is known for this operation: " + why);
}

/// <summary>A step's parameters do not say what to do: recorded as failed (or an undo gap), never guessed. The message says what is wrong, not which step.</summary>
public sealed class OperationParameterException(string message) : Exception(message);
