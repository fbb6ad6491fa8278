using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace Routing.Client;

/// <summary>A hub refused a call; <see cref="Code"/> and <see cref="Field"/> are the REST API's stable codes.</summary>
public sealed class RealtimeException(string code, string? field, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;

    public string? Field { get; } = field;

    /// <summary>Reads the <c>{"code","field","detail"}</c> a hub error carries.</summary>
    internal static RealtimeException From(HubException e)
    {
        var text = e.Message;
        var start = text.IndexOf('{', StringComparison.Ordinal);
        if (start >= 0)
        {
            try
            {
                using var json = JsonDocument.Parse(text[start..]);
                var root = json.RootElement;
                return new RealtimeException(
                    root.GetProperty("code").GetString() ?? "error",
                    root.TryGetProperty("field", out var f) ? f.GetString() : null,
                    root.TryGetProperty("detail", out var d) ? d.GetString() ?? text : text,
                    e
                );
            }
            catch (JsonException)
            {
                // not one of ours: fall through
            }
        }
        return new RealtimeException("error", null, text, e);
    }
}
