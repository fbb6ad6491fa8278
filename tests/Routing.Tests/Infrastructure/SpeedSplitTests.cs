using System.Reflection;
using Routing.Tests.Browser;
using Routing.Tests.Cluster;
using Routing.Tests.Faults;
using Routing.Tests.Realtime;
using Routing.Tests.Routing;
using Routing.Tests.Security;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// The fast part of the suite (<c>./test.sh --fast</c>: every test without <c>[Trait("Speed", "Slow")]</c>) stays
/// fast: a test class that starts a process — a server (<see cref="SiloProcess"/>), a PostgreSQL of its own
/// (<see cref="PostgresServer"/>), Chromium (<see cref="BrowserFixture"/>, any Playwright type) — or a cluster of two
/// whole servers (<see cref="TwoSiloCluster"/>) carries the trait.
/// A class uses such a type when it names it in its constructor, its class or collection fixtures, its fields, or its
/// methods' parameters, results and locals — those of the state machines and closures the compiler made for its
/// async methods and lambdas included. What is slow otherwise (promtool, a timed load run) the check cannot see.
/// </summary>
public sealed class SpeedSplitTests
{
    private static readonly HashSet<Type> SlowTypes =
    [
        typeof(SiloProcess),
        typeof(PostgresCluster),
        typeof(PostgresServer),
        typeof(BrowserFixture),
        typeof(TwoSiloCluster),
    ];

    [Fact]
    public void EveryTestClassThatStartsAProcessOrAClusterIsMarkedSlow()
    {
        var unmarked = typeof(SpeedSplitTests)
            .Assembly.GetTypes()
            .Where(t =>
                t is { IsClass: true, IsAbstract: false } && t.GetMethods().Any(m => m.IsDefined(typeof(FactAttribute), inherit: true))
            )
            .Where(t => !IsMarkedSlow(t))
            .Select(t => (Class: t, Uses: SlowTypesUsedBy(t)))
            .Where(x => x.Uses.Count > 0)
            .Select(x => $"{x.Class.FullName} (uses {string.Join(", ", x.Uses.Select(u => u.Name))})")
            .ToList();

        Assert.True(
            unmarked.Count == 0,
            $"start processes or clusters without [Trait(\"Speed\", \"Slow\")]: {string.Join("; ", unmarked)}"
        );
    }

    [Fact]
    public void TheCheckSeesProcessesWhereverATestClassNamesThem()
    {
        Assert.Contains(typeof(BrowserFixture), SlowTypesUsedBy(typeof(SignInTests))); // constructor, collection fixture
        Assert.Contains(typeof(PostgresCluster), SlowTypesUsedBy(typeof(ClusterTests))); // a field
        Assert.Contains(typeof(PostgresServer), SlowTypesUsedBy(typeof(DatabaseOutageTests))); // a field
        Assert.Contains(typeof(SiloProcess), SlowTypesUsedBy(typeof(LaunchTests))); // a local of an async method
        Assert.Contains(typeof(TwoSiloCluster), SlowTypesUsedBy(typeof(PresenceTests))); // constructor, collection fixture
        Assert.Empty(SlowTypesUsedBy(typeof(OfferTests)));
        Assert.True(IsMarkedSlow(typeof(ClusterTests)));
        Assert.False(IsMarkedSlow(typeof(OfferTests)));
    }

    private static bool IsMarkedSlow(Type type) =>
        type.GetCustomAttributesData()
            .Any(a => a.AttributeType == typeof(TraitAttribute) && a.ConstructorArguments is [{ Value: "Speed" }, { Value: "Slow" }]);

    private static List<Type> SlowTypesUsedBy(Type testClass)
    {
        var named = new List<Type>();
        named.AddRange(
            testClass
                .GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>))
                .Select(i => i.GetGenericArguments()[0])
        );
        if (
            testClass
                .GetCustomAttributesData()
                .FirstOrDefault(a => a.AttributeType == typeof(CollectionAttribute))
                ?.ConstructorArguments[0]
                .Value
            is string collection
        )
        {
            var definitions = testClass
                .Assembly.GetTypes()
                .Where(t =>
                    t.GetCustomAttributesData()
                        .Any(a =>
                            a.AttributeType == typeof(CollectionDefinitionAttribute)
                            && a.ConstructorArguments.Count > 0
                            && Equals(a.ConstructorArguments[0].Value, collection)
                        )
                );
            named.AddRange(
                definitions
                    .SelectMany(d => d.GetInterfaces())
                    .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionFixture<>))
                    .Select(i => i.GetGenericArguments()[0])
            );
        }
        for (var type = testClass; type is not null && type.Assembly == testClass.Assembly; type = type.BaseType)
        {
            AddMembers(type, named);
        }
        return named.SelectMany(Expand).Where(t => SlowTypes.Contains(t) || t.Namespace == "Microsoft.Playwright").Distinct().ToList();
    }

    /// <summary>The types a class and its nested classes (the compiler's state machines and closures) name in their members.</summary>
    private static void AddMembers(Type type, List<Type> named)
    {
        const BindingFlags All =
            BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        named.AddRange(type.GetFields(All).Select(f => f.FieldType));
        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo { ReturnType: var result })
            {
                named.Add(result);
            }
            named.AddRange(method.GetMethodBody()?.LocalVariables.Select(l => l.LocalType) ?? []);
        }
        foreach (var nested in type.GetNestedTypes(All))
        {
            AddMembers(nested, named);
        }
    }

    /// <summary>A type with what it is made of: <c>List&lt;SiloProcess&gt;</c>, <c>TaskAwaiter&lt;SiloProcess&gt;</c>,
    /// <c>SiloProcess[]</c>.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        Type[] parts =
            type.HasElementType ? [type.GetElementType()!]
            : type.IsGenericType ? type.GetGenericArguments()
            : [];
        foreach (var part in parts.SelectMany(Expand))
        {
            yield return part;
        }
    }
}
