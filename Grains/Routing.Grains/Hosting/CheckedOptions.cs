using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Routing.Grains.Hosting;

/// <summary>
/// Options bound to a configuration section of their own and checked when the host starts: a setting out of range
/// stops the server at once, naming the key, instead of misbehaving later.
/// </summary>
public static class CheckedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and fails the start with every problem <paramref
    /// name="problems"/> finds.</summary>
    public static OptionsBuilder<T> AddCheckedOptions<T>(
        this IServiceCollection services,
        string section,
        Func<T, IEnumerable<string>> problems
    )
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new Validator<T>(problems));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class Validator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
