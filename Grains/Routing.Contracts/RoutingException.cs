namespace Routing.Contracts;

/// <summary>What kind of refusal a <see cref="RoutingException"/> is; the API maps each to one HTTP status.</summary>
[GenerateSerializer, Alias("routing.RoutingErrorKind")]
public enum RoutingErrorKind
{
    /// <summary>A field is invalid (400).</summary>
    Invalid = 0,

    /// <summary>The id is unknown in the caller's workspace (404).</summary>
    NotFound = 1,

    /// <summary>The request does not fit the current state (409).</summary>
    Conflict = 2,

    /// <summary>The request is too large (413).</summary>
    TooLarge = 3,

    /// <summary>The system is at a limit; try again later (429 / 503).</summary>
    Overloaded = 4,

    /// <summary>The request is well formed but cannot be taken as it is, e.g. an idempotency key reused for another request
    /// (422).</summary>
    Unprocessable = 5,

    /// <summary>The ledger failed to store or read what the request needs: nothing of it is on record; try again shortly (503).</summary>
    Unavailable = 6,
}

/// <summary>
/// The one domain exception grains throw: a refusal with a stable <see cref="Code"/> (e.g. <c>offer-not-held</c>)
/// and, where one field is at fault, its name. Grains throw it before changing anything.
/// </summary>
[GenerateSerializer, Alias("routing.RoutingException")]
public sealed class RoutingException : Exception
{
    public RoutingException(RoutingErrorKind kind, string code, string message, string? field = null)
        : base(message)
    {
        Kind = kind;
        Code = code;
        Field = field;
    }

    [Id(0)]
    public RoutingErrorKind Kind { get; }

    [Id(1)]
    public string Code { get; }

    [Id(2)]
    public string? Field { get; }

    public static RoutingException NotFound(string what, string id, string field = "id") =>
        new(RoutingErrorKind.NotFound, $"{what}-not-found", $"No {what} '{id}' in this workspace.", field);

    public static RoutingException Conflict(string code, string message, string? field = null) =>
        new(RoutingErrorKind.Conflict, code, message, field);

    public static RoutingException Invalid(string field, string message, string code = "invalid-field") =>
        new(RoutingErrorKind.Invalid, code, message, field);

    public static RoutingException LedgerUnavailable() =>
        new(
            RoutingErrorKind.Unavailable,
            "ledger-unavailable",
            "The ledger failed; nothing of this request is on record. Try again shortly."
        );
}
