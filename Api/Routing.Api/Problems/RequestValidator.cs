using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Routing.Api.Problems;

/// <summary>Collects what is wrong with a request, so one answer names every bad field.</summary>
public sealed partial class RequestValidator
{
    private readonly List<ApiError> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyList<ApiError> Errors => _errors;

    /// <summary>Ids of queues, agents and conversations: letters, digits, '.', '_' and '-', at most 64, no '/'.</summary>
    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>Skill names: lower-case letters, digits, '.', '_' and '-', at most 64.</summary>
    public static bool IsSkillName(string? value) => value is not null && SkillPattern().IsMatch(value);

    public RequestValidator Require(bool ok, string field, string code, string message)
    {
        if (!ok)
        {
            _errors.Add(new ApiError(field, code, message));
        }
        return this;
    }

    public RequestValidator Id(string? value, string field) =>
        Require(IsId(value), field, "invalid-id", $"'{field}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.");

    public RequestValidator Text(string? value, string field, int max, bool required = true)
    {
        if (value is null)
        {
            return Require(!required, field, "required", $"'{field}' is required.");
        }
        return Require(value.Length <= max && (!required || value.Trim().Length > 0), field, "invalid-length",
            $"'{field}' must be {(required ? "1" : "0")}-{max} characters.");
    }

    public RequestValidator Range(double? value, string field, double min, double max, string code = "out-of-range") =>
        Require(value is null || (value >= min && value <= max && double.IsFinite(value.Value)), field, code, $"'{field}' must be between {min} and {max}.");

    public RequestValidator Skills(IReadOnlyDictionary<string, int>? skills, string field)
    {
        foreach (var (name, level) in skills ?? new Dictionary<string, int>())
        {
            Require(IsSkillName(name), $"{field}.{name}", "invalid-skill", $"Skill name '{name}' must be 1-64 lower-case letters, digits, '.', '_' or '-'.");
            Require(level is >= 1 and <= 5, $"{field}.{name}", "skill-level-out-of-range", $"Skill level of '{name}' must be 1 to 5, not {level}.");
        }
        return this;
    }

    /// <summary>The 400 answer for everything collected, or null when the request is valid.</summary>
    public IResult? ToProblem() => IsValid ? null : Problem.Of(StatusCodes.Status400BadRequest, _errors);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex SkillPattern();
}
