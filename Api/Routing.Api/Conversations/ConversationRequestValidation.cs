using Routing.Api.Problems;
using Routing.Contracts;

namespace Routing.Api.Conversations;

/// <summary>Checks a new conversation against docs/api.md, "Problems and error codes", and turns it into the grain's command.</summary>
internal static class ConversationRequestValidation
{
    public const int MaxSteps = Limits.MaxSkillSteps;
    public const int MaxAttributes = Limits.MaxAttributes;

    /// <summary>What is wrong with the request (see <see cref="TooLarge"/> for a message too long), or null.</summary>
    public static BadRequestProblem? Validate(ConversationRequest request, RoutingOptions options)
    {
        var v = new RequestValidator()
            .Require(
                request.Channel is not null && options.Channels.ContainsKey(request.Channel),
                "channel",
                "unknown-channel",
                $"'channel' must be one of {string.Join(", ", options.Channels.Keys)}."
            )
            .Id(request.QueueId, "queueId")
            .Range(request.Priority, "priority", Limits.Priority)
            .Require(request.Customer is not null, "customer", "required", "'customer' is required.");
        if (request.Customer is { } customer)
        {
            v.Line(customer.Id, "customer.id", Limits.CustomerIdLength)
                .Line(customer.Name, "customer.name", RequestValidator.MaxNameLength, required: false)
                .Require(
                    customer.Tier is null || options.PriorityOf(customer.Tier) is not null,
                    "customer.tier",
                    "unknown-tier",
                    $"'customer.tier' must be one of {string.Join(", ", options.TierPriorities.Keys)}."
                );
        }
        var steps = request.Skills ?? [];
        v.Require(steps.Count <= MaxSteps, "skills", "too-many-steps", $"At most {MaxSteps} skill steps.").Elements(steps, "skills");
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not { } step)
            {
                continue;
            }
            v.Skills(step.Requirements, $"skills[{i}].requirements")
                .Range(step.Seconds, $"skills[{i}].seconds", Limits.StepSeconds)
                .Require(
                    step.Seconds is not null || i == steps.Count - 1,
                    $"skills[{i}].seconds",
                    "untimed-step-not-last",
                    "Only the last step may omit 'seconds' (it then applies for ever)."
                );
        }
        var attributes = request.Attributes ?? [];
        v.Require(attributes.Count <= MaxAttributes, "attributes", "too-many-attributes", $"At most {MaxAttributes} attributes.");
        foreach (var (key, value) in attributes)
        {
            v.Require(value is not null, $"attributes.{key}", "required", "An attribute's value is a string, not null.")
                .Require(
                    key.Length is > 0 and <= Limits.AttributeKeyLength && (value?.Length ?? 0) <= Limits.AttributeValueLength,
                    $"attributes.{key}",
                    "invalid-length",
                    $"Attribute keys are 1-{Limits.AttributeKeyLength} characters and values at most {Limits.AttributeValueLength:N0}."
                )
                .Require(
                    !RequestValidator.HasControlCharacters(key),
                    $"attributes.{key}",
                    "control-characters",
                    "An attribute's key is one line without control characters."
                );
        }
        return v.ToProblem();
    }

    /// <summary>A first message longer than the server keeps: 413, before anything else is looked at.</summary>
    public static TooLargeProblem? TooLarge(ConversationRequest request, RoutingOptions options) =>
        request.Message is { } message && message.Length > options.MaxMessageLength
            ? Problem.TooLarge("message-too-large", $"A message may hold at most {options.MaxMessageLength} characters.", "message")
            : null;

    public static StartConversation ToCommand(ConversationRequest request, RoutingOptions options)
    {
        var tier = request.Customer!.Tier ?? "standard";
        return new StartConversation(
            request.Channel!,
            request.QueueId!,
            new Customer(request.Customer.Id!, request.Customer.Name, tier),
            request.Priority ?? options.PriorityOf(tier) ?? 0,
            (request.Skills ?? []).Select(s => new SkillRequirementStep(s.Requirements ?? [], s.Seconds)).ToList(),
            request.Attributes ?? [],
            request.Message
        );
    }
}
