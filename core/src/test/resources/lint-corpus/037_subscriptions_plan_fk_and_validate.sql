ALTER TABLE subscriptions
    ADD CONSTRAINT subscriptions_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans (id) NOT VALID;
ALTER TABLE subscriptions VALIDATE CONSTRAINT subscriptions_plan_id_fkey;
