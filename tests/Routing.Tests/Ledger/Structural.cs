using System.Collections;
using System.Reflection;

namespace Routing.Tests.Ledger;

/// <summary>
/// Deep equality for stored records. Records holding lists or dictionaries compare those by reference, so a
/// round trip through a database never equals the original; this walks every public property instead (a field
/// added to a record later is compared without touching the tests) and names the first path that differs.
/// </summary>
internal static class Structural
{
    public static void Equal<T>(T expected, T actual) => Compare(expected, actual, typeof(T).Name);

    private static void Compare(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null)
            {
                Assert.Fail($"{path}: expected {Show(expected)} but was {Show(actual)}.");
            }
            return;
        }
        var type = expected.GetType();
        if (IsLeaf(type))
        {
            // DateTimeOffset equality is the instant, to the tick.
            if (!expected.Equals(actual))
            {
                Assert.Fail($"{path}: expected {Show(expected)} but was {Show(actual)}.");
            }
            return;
        }
        if (expected is IDictionary expectedMap)
        {
            var actualMap = actual as IDictionary ?? throw new InvalidOperationException($"{path}: not a dictionary.");
            Assert.True(expectedMap.Count == actualMap.Count, $"{path}: expected {expectedMap.Count} entries but found {actualMap.Count}.");
            foreach (DictionaryEntry entry in expectedMap)
            {
                Assert.True(actualMap.Contains(entry.Key), $"{path}: key '{entry.Key}' is missing.");
                Compare(entry.Value, actualMap[entry.Key], $"{path}[{entry.Key}]");
            }
            return;
        }
        if (expected is IEnumerable expectedItems)
        {
            var e = expectedItems.Cast<object?>().ToList();
            var a = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.True(e.Count == a.Count, $"{path}: expected {e.Count} items but found {a.Count}.");
            for (var i = 0; i < e.Count; i++)
            {
                Compare(e[i], a[i], $"{path}[{i}]");
            }
            return;
        }
        Assert.True(type == actual.GetType(), $"{path}: expected a {type.Name} but was a {actual.GetType().Name}.");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                Compare(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive
        || type.IsEnum
        || type == typeof(string)
        || type == typeof(decimal)
        || type == typeof(DateTimeOffset)
        || type == typeof(DateTime)
        || type == typeof(TimeSpan)
        || type == typeof(Guid);

    private static string Show(object? value) =>
        value switch
        {
            null => "null",
            DateTimeOffset at => at.ToString("O"),
            _ => $"'{value}'",
        };
}
