using System.Runtime.CompilerServices;
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

    // A conversation is written several times over its life with the same customer, skills and attributes (the
    // records are immutable and carried over by reference), so their JSON is made once per object, not per write.
    private static readonly ConditionalWeakTable<object, string> Written = new();

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>The JSON of an immutable value, made once per object.</summary>
    public static string WriteOnce<T>(T value)
        where T : class => Written.GetValue(value, static v => JsonSerializer.Serialize(v, v.GetType(), Options));

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException($"The ledger holds a null {typeof(T).Name} where a value is required.");
}
