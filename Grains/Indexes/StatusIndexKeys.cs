using System.Collections.Immutable;

using Eventd.Grains.Interfaces;

namespace Eventd.Grains.Indexes;

/// <summary>
/// The Redis index of events by status: per project and status, and every project's per status, sorted
/// sets of event ids scored by creation (<see cref="CreationScore"/>). One status transition rewrites
/// every status set of the event's project and of every project's in one script, so those sets share a
/// hash tag: the shard of the event id (<see cref="EveryProjectShards"/>), which also spreads every
/// project's sets over 16 slots. A listing of one status merges its 16 shards; a listing of every status
/// merges every status's, which is how the event list is read: an event costs no list entry besides its
/// status's (two sorted-set entries, not four).
/// </summary>
public static class StatusIndexKeys
{
    /// <summary>Every status, in the order a transition's keys are given: taken from the enum, so a new status gets its sets.</summary>
    public static ImmutableArray<EventStatus> Statuses { get; } = [.. Enum.GetValues<EventStatus>()];

    /// <summary><c>{serviceId/status/shard}/project/status</c>; <c>*</c> for every project is never a project's name.</summary>
    public static string Set(string serviceId, int shard, string project, EventStatus status) =>
        $"{{{serviceId}/status/{shard}}}/{project}/{status.ToString().ToLowerInvariant()}";

    /// <summary>
    /// The due clean-ups of a shard (<c>Retention.ExpiringEvents</c>): members <c>project/eventId</c> of its settled
    /// events, scored by when they expire (Unix milliseconds). Under the shard's hash tag, so a transition
    /// writes it in the same script as the status sets.
    /// </summary>
    public static string Expiring(string serviceId, int shard) => $"{{{serviceId}/status/{shard}}}/expiring";

    /// <summary>The member of <see cref="Expiring"/> for an event: the project comes first, so the sweep knows its sets.</summary>
    public static string ExpiringMember(string project, string eventId) => $"{project}/{eventId}";

    /// <summary>
    /// The sets a transition of an event in <paramref name="shard"/> writes: the project's set of each
    /// status in <see cref="Statuses"/> order, then every project's in the same order, then the shard's <see cref="Expiring"/>.
    /// </summary>
    public static string[] Transition(string serviceId, string project, int shard) =>
        [
            .. Statuses.Select(status => Set(serviceId, shard, project, status)),
            .. Statuses.Select(status => Set(serviceId, shard, ProjectNames.Every, status)),
            Expiring(serviceId, shard),
        ];

    /// <summary>
    /// The sets a listing of <paramref name="project"/>'s (or every project's) events reads, each with the
    /// status it holds: one per shard of <paramref name="status"/>, or of every status when none is kept.
    /// Every event has its entry in one status's sets, so the sets of every status are the list of all.
    /// </summary>
    public static ListedSet[] Listing(string serviceId, string project, EventStatus? status) =>
        [
            .. (status is { } kept ? [kept] : Statuses).SelectMany(listed =>
                EveryProjectShards.All.Select(shard => new ListedSet(Set(serviceId, shard, project, listed), listed))),
        ];
}

/// <summary>A status set a listing reads, and the status its members are listed in.</summary>
public readonly record struct ListedSet(string Key, EventStatus Status);
