using System.Globalization;
using System.Text.RegularExpressions;
using Routing.Contracts;

namespace Routing.Api.Problems;

/// <summary>
/// Collects what is wrong with a request, so one answer names every bad field. The REST handlers and the hub methods
/// check the same fields through the same methods here, so a value refused by one is refused by the other.
/// </summary>
public sealed partial class RequestValidator
{
    /// <summary>The longest name of a queue, an agent or a chat visitor.</summary>
    public const int MaxNameLength = Limits.NameLength;

    /// <summary>The longest reason an agent gives for its status.</summary>
    public const int MaxReasonLength = Limits.ReasonLength;

    /// <summary>The longest disposition a conversation is completed with.</summary>
    public const int MaxDispositionLength = Limits.DispositionLength;

    private readonly List<ApiError> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyList<ApiError> Errors => _errors;

    /// <summary>Ids of queues, agents and conversations: letters, digits, '.', '_' and '-', at most 64, no '/'.</summary>
    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>Skill names: lower-case letters, digits, '.', '_' and '-', at most 64.</summary>
    public static bool IsSkillName(string? value) => value is not null && SkillPattern().IsMatch(value);

    /// <summary>Whether a text holds a control character (a line break, a tab, NUL…) or a line or paragraph separator.</summary>
    public static bool HasControlCharacters(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return true;
            }
        }
        return false;
    }

    public RequestValidator Require(bool ok, string field, string code, string message)
    {
        if (!ok)
        {
            _errors.Add(new ApiError(field, code, message));
        }
        return this;
    }

    public RequestValidator Id(string? value, string field) =>
        Require(
            IsId(value),
            field,
            "invalid-id",
            $"'{field}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit."
        );

    /// <summary>Free text of at most <paramref name="max"/> characters, line breaks allowed: a chat message, a password.</summary>
    public RequestValidator Text(string? value, string field, int max, bool required = true)
    {
        if (value is null)
        {
            return Require(!required, field, "required", $"'{field}' is required.");
        }
        return Require(
            value.Length <= max && (!required || value.Trim().Length > 0),
            field,
            "invalid-length",
            $"'{field}' must be {(required ? "1" : "0")}-{max} characters."
        );
    }

    /// <summary>One line of at most <paramref name="max"/> characters without control characters: a name, a reason, a label.</summary>
    public RequestValidator Line(string? value, string field, int max, bool required = true)
    {
        var before = _errors.Count;
        Text(value, field, max, required);
        return _errors.Count > before || value is null
            ? this
            : Require(!HasControlCharacters(value), field, "control-characters", $"'{field}' must be one line without control characters.");
    }

    /// <summary>The name of a queue, an agent or a chat visitor.</summary>
    public RequestValidator Name(string? value, string field = "name") => Line(value, field, MaxNameLength);

    /// <summary>The reason an agent's status is set with (optional).</summary>
    public RequestValidator StatusReason(string? reason) => Line(reason, "reason", MaxReasonLength, required: false);

    /// <summary>The disposition a conversation is completed with (optional).</summary>
    public RequestValidator Disposition(string? disposition) => Line(disposition, "disposition", MaxDispositionLength, required: false);

    /// <summary>Every element of a list is there: a <c>null</c> in it is refused, naming its place (<c>queues[2]</c>).</summary>
    public RequestValidator Elements<T>(IReadOnlyList<T?>? items, string field)
        where T : class
    {
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            Require(items![i] is not null, $"{field}[{i}]", "required", $"'{field}[{i}]' is required; a list holds no nulls.");
        }
        return this;
    }

    /// <summary>A customer's rating of a completed conversation.</summary>
    public RequestValidator Rating(int? score) =>
        Require(
            score >= Limits.Rating.Min && score <= Limits.Rating.Max,
            "score",
            "score-out-of-range",
            $"'score' must be a whole number from {Limits.Rating.Min} to {Limits.Rating.Max}."
        );

    public RequestValidator Range(double? value, string field, double min, double max, string code = "out-of-range") =>
        Require(
            value is null || (value >= min && value <= max && double.IsFinite(value.Value)),
            field,
            code,
            $"'{field}' must be between {min} and {max}."
        );

    /// <summary>A number within <paramref name="bounds"/>, when there is one.</summary>
    public RequestValidator Range(double? value, string field, Bounds bounds, string code = "out-of-range") =>
        Range(value, field, bounds.Min, bounds.Max, code);

    /// <summary>A list of at most <paramref name="max"/> items.</summary>
    public RequestValidator Count<T>(IReadOnlyCollection<T>? items, string field, int max, string code) =>
        Require((items?.Count ?? 0) <= max, field, code, $"At most {max} items in '{field}'.");

    public RequestValidator Skills(IReadOnlyDictionary<string, int>? skills, string field)
    {
        foreach (var (name, level) in skills ?? new Dictionary<string, int>())
        {
            Require(
                IsSkillName(name),
                $"{field}.{name}",
                "invalid-skill",
                $"Skill name '{name}' must be 1-64 lower-case letters, digits, '.', '_' or '-'."
            );
            Require(
                level >= Limits.SkillLevel.Min && level <= Limits.SkillLevel.Max,
                $"{field}.{name}",
                "skill-level-out-of-range",
                $"Skill level of '{name}' must be {Limits.SkillLevel.Min} to {Limits.SkillLevel.Max}, not {level}."
            );
        }
        return this;
    }

    /// <summary>The 400 answer for everything collected, or null when the request is valid.</summary>
    public BadRequestProblem? ToProblem() => IsValid ? null : Problem.BadRequest(_errors);

    /// <summary>
    /// For hub methods: the first thing wrong, as the <see cref="RoutingException"/> the hub error filter turns into a
    /// hub error with the same code and field a REST answer would carry.
    /// </summary>
    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new RoutingException(RoutingErrorKind.Invalid, _errors[0].Code, _errors[0].Message, _errors[0].Field);
        }
    }

    [GeneratedRegex(Limits.IdRegex)]
    private static partial Regex IdPattern();

    [GeneratedRegex(Limits.SkillRegex)]
    private static partial Regex SkillPattern();
}
