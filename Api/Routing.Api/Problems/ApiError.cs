namespace Routing.Api.Problems;

/// <summary>One thing wrong with a request: the field at fault (JSON path, camelCase), a stable code and a sentence.</summary>
public sealed record ApiError(string? Field, string Code, string Message);
