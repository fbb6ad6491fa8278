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

    /// <summary>Each member by name, with its arguments' names (camelCase, as the JSON protocol sends them in order).</summary>
    private static JsonObject Members(IEnumerable<MethodInfo> methods, HashSet<Type> payloads)
    {
        var members = new JsonObject();
        foreach (var method in methods.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            foreach (var type in method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType).SelectMany(Named))
            {
                payloads.Add(type);
            }
            members[method.Name] = new JsonArray([
                .. method.GetParameters().Select(p => JsonValue.Create(JsonNamingPolicy.CamelCase.ConvertName(p.Name!))),
            ]);
        }
        return members;
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
