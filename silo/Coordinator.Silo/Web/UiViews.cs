using Coordinator.Abstractions;

namespace Coordinator.Silo.Web;

/// <summary>A FleetRollout as the page shows it, with the actions this user may take on it (the page shows no other buttons).</summary>
internal sealed record FleetView(FleetSnapshot Fleet, IReadOnlyList<string> Actions);

/// <summary>One cluster's Rollout with its pods (read now), and the actions this user may take on it.</summary>
internal sealed record RolloutView(RolloutSnapshot Rollout, PodList Pods, IReadOnlyList<string> Actions);

/// <summary>Who the page talks for; <c>AuthRequired</c> tells it to ask for a token when the silo has authentication on.</summary>
internal sealed record UiUser(string User, bool Authenticated, bool AuthRequired);

/// <summary>A refused or failed request: the message names the field or the permission, as the gRPC API's do.</summary>
internal sealed record UiError(string Error, string? Field = null);
