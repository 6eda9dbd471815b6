namespace Coordinator.Domain;
