using System.Text.Json;
using System.Text.Json.Serialization;

namespace Routing.Ledger;

/// <summary>How the ledger writes nested values into its JSON columns: camelCase, enums by name, read back into the same records.</summary>
internal static class LedgerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException($"The ledger holds a null {typeof(T).Name} where a value is required.");
}
