ALTER TYPE subscription_state ADD VALUE 'paused';
