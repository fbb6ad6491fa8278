using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Routing.Api.Realtime;

namespace Routing.Api.OpenApi;

/// <summary>
/// The realtime hubs in the OpenAPI document, which has no words for them: <c>x-hubs</c> names each hub's path, who may
/// connect, the events it pushes and the methods it answers (with their arguments' names), all read from the hub
/// interfaces (<see cref="RealtimeExtensions.Hubs"/>); and every type those carry is a schema of <c>components</c>,
/// so the pages' types for hub payloads come from the same document as those of the REST answers.
/// </summary>
internal static class HubContract
{
    public static async Task DocumentAsync(
        OpenApiDocument document,
        OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken
    )
    {
        var hubs = new JsonObject();
        var payloads = new HashSet<Type>();
        foreach (var hub in RealtimeExtensions.Hubs)
        {
            hubs[hub.Name] = new JsonObject
            {
                ["path"] = hub.Path,
                ["roles"] = new JsonArray([.. hub.Roles.Select(r => JsonValue.Create(r))]),
                ["events"] = Members(hub.Events, payloads),
                ["methods"] = Members(hub.Methods, payloads),
            };
        }
        document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        document.Extensions["x-hubs"] = new JsonNodeExtension(hubs);

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var done = new HashSet<Type>();
        var pending = new Queue<Type>(payloads);
        while (pending.TryDequeue(out var type))
        {
            if (!done.Add(type))
            {
                continue;
            }
            if (!document.Components.Schemas.ContainsKey(type.Name))
            {
                document.Components.Schemas[type.Name] = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            }
            foreach (var property in type.IsEnum ? [] : type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                foreach (var nested in Named(property.PropertyType))
                {
                    pending.Enqueue(nested);
                }
            }
        }
    }

    /// <summary>
    /// Each member by name: its arguments in order (camelCase names, as the JSON protocol sends them positionally), each with
    /// its schema, and what a method answers (<c>returns</c>, null for nothing) — so a client's types come from here too.
    /// </summary>
    private static JsonObject Members(IEnumerable<MethodInfo> methods, HashSet<Type> payloads)
    {
        var nullability = new NullabilityInfoContext();
        var members = new JsonObject();
        foreach (var method in methods.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            foreach (var type in method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType).SelectMany(Named))
            {
                payloads.Add(type);
            }
            var returned = nullability.Create(method.ReturnParameter);
            members[method.Name] = new JsonObject
            {
                ["parameters"] = new JsonArray([
                    .. method
                        .GetParameters()
                        .Select(p => new JsonObject
                        {
                            ["name"] = JsonNamingPolicy.CamelCase.ConvertName(p.Name!),
                            ["schema"] = Schema(nullability.Create(p)),
                        }),
                ]),
                ["returns"] = returned.GenericTypeArguments is [var answer] ? Schema(answer) : null,
            };
        }
        return members;
    }

    /// <summary>A JSON schema of a hub argument or answer: the project's types by reference to <c>components</c>.</summary>
    private static JsonObject Schema(NullabilityInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        JsonObject schema;
        if (Named(type).SingleOrDefault() == type)
        {
            schema = new JsonObject { ["$ref"] = $"#/components/schemas/{type.Name}" };
        }
        else if (type == typeof(string))
        {
            schema = new JsonObject { ["type"] = "string" };
        }
        else if (type == typeof(DateTimeOffset))
        {
            schema = new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }
        else if (type == typeof(bool))
        {
            schema = new JsonObject { ["type"] = "boolean" };
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            schema = new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }
        else if (type == typeof(double))
        {
            schema = new JsonObject { ["type"] = "number" };
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = Schema(info.GenericTypeArguments[1]) };
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            schema = new JsonObject { ["type"] = "array", ["items"] = Schema(info.GenericTypeArguments[0]) };
        }
        else
        {
            throw new NotSupportedException($"A hub carries a {type}, which the hub contract cannot describe yet.");
        }
        var nullable = info.ReadState == NullabilityState.Nullable || Nullable.GetUnderlyingType(info.Type) is not null;
        return nullable ? new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) } : schema;
    }

    /// <summary>The project's own types in <paramref name="type"/>, through tasks, lists, maps and nullables.</summary>
    private static IEnumerable<Type> Named(Type type)
    {
        if (type.IsGenericType)
        {
            return type.GetGenericArguments().SelectMany(Named);
        }
        if (type.IsArray)
        {
            return Named(type.GetElementType()!);
        }
        return type.Namespace?.StartsWith("Routing.", StringComparison.Ordinal) == true && !type.IsAbstract ? [type] : [];
    }
}
