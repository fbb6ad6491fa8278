using System.Net;
using System.Text.Json;

namespace Routing.Client;

/// <summary>The REST API refused a call: its HTTP status and the problem's stable code.</summary>
public sealed class RoutingApiException(HttpStatusCode status, string code, string? field, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;

    public string? Field { get; } = field;

    /// <summary>The refusal <paramref name="response"/> carries: its problem details' code, field and detail.</summary>
    internal static async Task<RoutingApiException> FromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            return new RoutingApiException(
                response.StatusCode,
                root.TryGetProperty("code", out var code) ? code.GetString() ?? "error" : "error",
                root.TryGetProperty("field", out var field) ? field.GetString() : null,
                root.TryGetProperty("detail", out var detail) ? detail.GetString() ?? text : text
            );
        }
        catch (JsonException)
        {
            return new RoutingApiException(response.StatusCode, "error", null, text);
        }
    }
}
