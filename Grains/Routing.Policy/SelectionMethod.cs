namespace Routing.Policy;

/// <summary>How a queue picks among several eligible agents for one conversation (docs/routing.md, rule 4).</summary>
public enum SelectionMethod
{
    /// <summary>The agent idle the longest since its last assignment ended (or since it became available).</summary>
    LongestIdle = 0,

    /// <summary>The highest summed proficiency on the conversation's required skills; ties go to the longest idle.</summary>
    MostSkilled = 1,

    /// <summary>The lowest share of capacity in use; ties go to the longest idle.</summary>
    LeastOccupied = 2,

    /// <summary>Each eligible agent in turn, by agent id, continuing after the one picked last.</summary>
    RoundRobin = 3,
}
